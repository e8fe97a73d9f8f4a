/** What resolvers receive as the parent of each schema type (scripts/codegen.ts reads the `<Type>Model` names). */
export type { Preferences as NotificationPreferencesModel } from "../domain/types.js";
