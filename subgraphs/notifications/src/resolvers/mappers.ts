/** What resolvers receive as the parent of each schema type (scripts/codegen.ts reads the `<Type>Model` names). */
export type { Preferences as NotificationPreferencesModel } from "../domain/types.js";
export type { Delivery as NotificationModel, Delivery as ReminderModel } from "../domain/types.js";
/** An appointment as notifications knows it: its id (scheduling owns the rest). */
export type AppointmentModel = { id: string };
