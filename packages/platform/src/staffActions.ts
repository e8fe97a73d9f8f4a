/**
 * The staff action log: every mutation a staff member (any role but PATIENT) makes through a subgraph is recorded
 * once, with actor, role, target and request id, whatever the subgraph and whether or not its use case remembers to.
 * `recordStaffMutations` wraps each root `Mutation` field of a subgraph's schema: when the field resolves without an
 * error for a staff caller, the action is written (the answer waits for the write) through the subgraph's writer —
 * its outbox (a `StaffActionRecorded` event that accounts keeps in its audit log), or accounts' audit log itself.
 *
 * The target is read from the arguments, by name: `id` (the type the mutation returns, or the one its name ends
 * with: `retireMedicalService(id)` → MedicalService), else the first `<thing>Id` argument (`doctorId` → Doctor),
 * else `input.id`, else the `id` of the result (what `requestAppointment(input: { slotId })` made: the appointment,
 * not the slot), else the first `<thing>Id` inside `input`. A union answer that is not an entity (a
 * `SlotUnavailable` instead of an `Appointment`) changed nothing and is not recorded.
 *
 * The write happens after the use case committed, not inside its transaction: when it fails, the change stands and
 * the failure is logged at error level and counted (`clinigraph_staff_action_write_failures_total`), so an alert
 * finds the gap. Fields a subgraph records itself with more detail are listed in `skip`.
 */
import { randomUUID } from "node:crypto";
import { getNamedType, isAbstractType, isObjectType, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from "graphql";
import { STAFF_ROLES, type Identity } from "./identity.js";
import { isUuid } from "./ids.js";
import type { Logger } from "./logger.js";

/** One staff action, as written to the log (the `StaffActionRecorded` event's payload). */
export interface StaffAction {
  actionId: string;
  actorId: string;
  actorRole: string;
  /** The mutation's name (e.g. updateDoctor). */
  action: string;
  targetType: string | null;
  targetId: string | null;
  patientId: string | null;
  requestId: string | null;
  at: string;
}

export interface StaffActionOptions {
  /** Writes the actions (the subgraph's outbox, or accounts' audit log). */
  write(actions: StaffAction[]): Promise<void>;
  /** Mutations the subgraph records itself (with more detail), or that change nothing of the clinic's data. */
  skip?: readonly string[];
  clock?: () => Date;
  /** Counts failed writes (the service's metrics). */
  onWriteFailure?: (error: unknown) => void;
}

const capitalised = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** Where a mutation's target is found among its arguments, its input and its result. */
export function staffActionTarget(
  fieldName: string,
  args: Record<string, unknown>,
  result: unknown,
  returnTypeName: string | null,
): { targetType: string | null; targetId: string | null; patientId: string | null } {
  const input = typeof args.input === "object" && args.input !== null ? (args.input as Record<string, unknown>) : {};
  const resultRecord = typeof result === "object" && result !== null ? (result as Record<string, unknown>) : {};
  // `retireMedicalService` → MedicalService: what a mutation's name says it acts on, when it returns no entity.
  const namedType = /^[a-z]+([A-Z]\w*)$/.exec(fieldName)?.[1] ?? null;
  let targetType: string | null = null;
  let targetId: string | null = null;
  const idArgumentOf = (source: Record<string, unknown>) =>
    Object.keys(source).find((key) => /^[a-z]\w*Id$/.test(key) && typeof source[key] === "string" && source[key] !== "");
  const idOf = (source: Record<string, unknown>) => (typeof source.id === "string" && source.id !== "" ? source.id : null);
  const argumentId = idArgumentOf(args);
  // The entity a mutation answers with, when it made it from an input (requestAppointment's input names a slot and a
  // patient; what it changed is the new appointment): an `<thing>Id` inside `input` is only a fallback.
  const inputId = idArgumentOf(input);
  if (idOf(args) !== null) {
    targetId = idOf(args);
    targetType = returnTypeName ?? namedType;
  } else if (argumentId) {
    targetId = args[argumentId] as string;
    targetType = capitalised(argumentId.slice(0, -2));
  } else if (idOf(input) !== null) {
    targetId = idOf(input);
    targetType = returnTypeName ?? namedType;
  } else if (typeof resultRecord.id === "string") {
    targetId = resultRecord.id;
    targetType = returnTypeName ?? namedType;
  } else if (inputId) {
    targetId = input[inputId] as string;
    targetType = capitalised(inputId.slice(0, -2));
  }
  // An answer that wraps the entity (AuthPayload { user }): the first field holding something with an id.
  let nested: Record<string, unknown> | undefined;
  if (targetId === null) {
    const key = Object.keys(resultRecord).find((k) => {
      const value = resultRecord[k];
      return typeof value === "object" && value !== null && typeof (value as { id?: unknown }).id === "string";
    });
    if (key) {
      nested = resultRecord[key] as Record<string, unknown>;
      targetId = nested.id as string;
      targetType = capitalised(key);
    }
  }
  // A patient's User is the patient (Patient.id equals User.id).
  const patientTarget = targetType === "Patient" || ((targetType === "User" || targetType === null) && (nested ?? resultRecord).role === "PATIENT");
  const patientCandidates = [args.patientId, input.patientId, resultRecord.patientId, patientTarget ? targetId : undefined];
  const patientId = patientCandidates.find(isUuid) ?? null;
  return { targetType, targetId, patientId };
}

const isStaff = (identity: Identity | undefined): identity is Identity & { userId: string; role: NonNullable<Identity["role"]> } =>
  !!identity?.userId && !!identity.role && STAFF_ROLES.includes(identity.role);

/** Wraps the schema's root Mutation fields so that each staff mutation that succeeds is written to the log once. */
export function recordStaffMutations(schema: GraphQLSchema, options: StaffActionOptions, logger: Logger): void {
  const mutation = schema.getMutationType();
  if (!mutation) return;
  const skip = new Set(options.skip ?? []);
  const clock = options.clock ?? (() => new Date());
  for (const field of Object.values(mutation.getFields())) {
    if (skip.has(field.name)) continue;
    const resolve: GraphQLFieldResolver<unknown, unknown> =
      field.resolve ?? ((source, _args, _ctx, info) => (source as Record<string, unknown> | undefined)?.[info.fieldName]);
    const returnType = getNamedType(field.type);
    field.resolve = async (source, args, ctx, info) => {
      const result = await resolve(source, args, ctx, info);
      const identity = (ctx as { identity?: Identity } | undefined)?.identity;
      if (!isStaff(identity)) return result;
      const typeName = await entityTypeName(returnType, result, ctx, info);
      if (typeName === undefined) return result;
      const action: StaffAction = {
        actionId: randomUUID(),
        actorId: identity.userId,
        actorRole: identity.role,
        action: field.name,
        ...staffActionTarget(field.name, args as Record<string, unknown>, result, typeName),
        requestId: identity.requestId ?? null,
        at: clock().toISOString(),
      };
      try {
        await options.write([action]);
      } catch (error) {
        options.onWriteFailure?.(error);
        logger.error({ err: error, action: action.action, actionId: action.actionId, requestId: action.requestId }, "staff action not recorded");
      }
      return result;
    };
  }
}

/**
 * The entity type a mutation answered with (null: not an entity, e.g. Boolean), or undefined when the answer is a
 * union member that is not an entity (nothing was changed).
 */
async function entityTypeName(
  returnType: ReturnType<typeof getNamedType>,
  result: unknown,
  ctx: unknown,
  info: GraphQLResolveInfo,
): Promise<string | null | undefined> {
  if (isObjectType(returnType)) return "id" in returnType.getFields() ? returnType.name : null;
  if (isAbstractType(returnType) && result && typeof result === "object") {
    const resolved = (result as { __typename?: unknown }).__typename ?? (await returnType.resolveType?.(result, ctx, info, returnType));
    const concrete = typeof resolved === "string" ? info.schema.getType(resolved) : undefined;
    return isObjectType(concrete) && "id" in concrete.getFields() ? concrete.name : undefined;
  }
  return null;
}
