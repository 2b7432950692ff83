import { userEventHandlers } from "../model/users";
import type { EventHandler } from "./envelope";

/**
 * Every Clerk event type Roster applies, and its handler. A type not listed here is logged as
 * "ignored" and answered 2xx, so Svix keeps the endpoint enabled.
 */
export const eventHandlers: Readonly<Record<string, EventHandler>> = {
  ...userEventHandlers,
};
