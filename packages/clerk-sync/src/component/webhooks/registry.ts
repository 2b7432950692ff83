import { billingEventHandlers } from "../model/billing.js";
import { communicationEventHandlers } from "../model/communications.js";
import { domainEventHandlers } from "../model/domains.js";
import { membershipEventHandlers } from "../model/memberships.js";
import { orgInvitationEventHandlers } from "../model/orgInvitations.js";
import { organizationEventHandlers } from "../model/organizations.js";
import { roleEventHandlers } from "../model/roles.js";
import { sessionEventHandlers } from "../model/sessions.js";
import { signupEventHandlers } from "../model/signups.js";
import { userEventHandlers } from "../model/users.js";
import type { EventHandler } from "./envelope.js";

/**
 * Every Clerk event type Roster applies, and its handler. A type not listed here (billing's
 * subscriptionItem.* and paymentAttempt.*, and whatever Clerk adds next) is logged as "ignored"
 * and answered 2xx, so Svix keeps the endpoint enabled.
 */
export const eventHandlers: Readonly<Record<string, EventHandler>> = {
  ...userEventHandlers,
  ...organizationEventHandlers,
  ...membershipEventHandlers,
  ...domainEventHandlers,
  ...orgInvitationEventHandlers,
  ...roleEventHandlers,
  ...sessionEventHandlers,
  ...communicationEventHandlers,
  ...signupEventHandlers,
  ...billingEventHandlers,
};
