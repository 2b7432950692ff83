import type { ConnectionState } from "convex/browser";
import type * as ConvexReact from "convex/react";

/** A connection that never drops: for the test adapter and the browser check's preview, which answer in-process. */
const CONNECTED: ConnectionState = {
  hasInflightRequests: false,
  isWebSocketConnected: true,
  timeOfOldestInflightRequest: null,
  hasEverConnected: true,
  connectionCount: 1,
  connectionRetries: 0,
  inflightMutations: 0,
  inflightActions: 0,
};

/** `useConvexConnectionState` for in-process answers: always connected. */
export const useConvexConnectionState = (() => CONNECTED) as typeof ConvexReact.useConvexConnectionState;
