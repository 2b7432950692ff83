/**
 * The component's answer shapes as validators an app can put in its own functions' `returns`,
 * with ids turned into strings (they cross the boundary as strings; the component's tables are not
 * the app's). `atBoundary` does the turning for any validator.
 */
import { v, type GenericValidator, type Validator } from "convex/values";
import type { Boundary } from "../componentApi.js";
import { vRunView as componentRunView } from "../component/clerk/runs.js";
import { vSyncMode } from "../component/clerk/schema.js";
import {
  vCommunication as componentCommunication,
  vLoggedEvent as componentLoggedEvent,
  vSyncHealth as componentSyncHealth,
} from "../component/model/eventLog.js";
import { vRetryRun as componentRetryRun } from "../component/model/retries.js";
import { vOutcome } from "../component/schema.js";

/** `validator` with every `v.id(…)` in it a `v.string()` (optional stays optional). */
export function atBoundary<V extends GenericValidator>(
  validator: V,
): Validator<Boundary<V["type"]>, V["isOptional"], string> {
  return convert(validator) as never;
}

function convert(validator: GenericValidator): GenericValidator {
  const optional = (inner: GenericValidator) => (validator.isOptional === "optional" ? v.optional(inner) : inner);
  switch (validator.kind) {
    case "id":
      return optional(v.string());
    case "object":
      return optional(
        v.object(Object.fromEntries(Object.entries(validator.fields).map(([key, field]) => [key, convert(field)]))),
      );
    case "array":
      return optional(v.array(convert(validator.element)));
    case "union":
      return optional(v.union(...validator.members.map(convert)));
    case "record":
      return optional(v.record(convert(validator.key) as never, convert(validator.value)));
    default:
      return validator;
  }
}

/** A backfill/reconcile run as the operator view shows it (`syncStatus`). */
export const vRunView = atBoundary(componentRunView);
/** One row of the webhook event log (`eventLog`). */
export const vLoggedEvent = atBoundary(componentLoggedEvent);
/** Sync health (`syncHealth`). */
export const vSyncHealth = atBoundary(componentSyncHealth);
/** One delivered email or text message (`communications`). */
export const vCommunication = atBoundary(componentCommunication);
/** A retry of the failed events (`retryRun`). */
export const vRetryRun = atBoundary(componentRetryRun);
export { vOutcome, vSyncMode };
