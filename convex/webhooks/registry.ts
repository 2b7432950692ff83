import { billingEventHandlers } from "../model/billing";
import { communicationEventHandlers } from "../model/communications";
import { domainEventHandlers } from "../model/domains";
import { membershipEventHandlers } from "../model/memberships";
import { orgInvitationEventHandlers } from "../model/orgInvitations";
import { organizationEventHandlers } from "../model/organizations";
import { roleEventHandlers } from "../model/roles";
import { sessionEventHandlers } from "../model/sessions";
import { signupEventHandlers } from "../model/signups";
import { userEventHandlers } from "../model/users";
import type { EventHandler } from "./envelope";

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
