import { obj, requireString, str } from "../lib/payload.js";
import type { EventHandler } from "../webhooks/envelope.js";
import { ORGANIZATION_KIND } from "./organizations.js";
import { deletedHandler, snapshotHandler, type SyncedFamily } from "./families.js";

export const DOMAIN_KIND = "organizationDomain";

/** Clerk `organization_domain` objects → `organizationDomains`. */
const domains: SyncedFamily<"organizationDomains"> = {
  table: "organizationDomains",
  kind: DOMAIN_KIND,
  read: (data) => {
    const clerkId = requireString(data, "id", "organizationDomain");
    const organizationId = requireString(data, "organization_id", `organizationDomain ${clerkId}`);
    return {
      clerkId,
      parents: [{ kind: ORGANIZATION_KIND, clerkId: organizationId }],
      fields: {
        organizationId,
        name: str(data, "name") ?? clerkId,
        enrollmentMode: str(data, "enrollment_mode"),
        verificationStatus: str(obj(data, "verification"), "status"),
      },
    };
  },
};

export const domainEventHandlers: Record<string, EventHandler> = {
  "organizationDomain.created": snapshotHandler(domains),
  "organizationDomain.updated": snapshotHandler(domains),
  "organizationDomain.deleted": deletedHandler(domains),
};
