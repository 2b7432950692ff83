import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { userEvent } from "../clerkEvents";
import { deliver, hookCalls, newBackend, SECRET } from "./backend";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

test("smoke", async () => {
  const t = await newBackend({}, { hook: "record" });
  expect(await deliver(t, userEvent("user.created"))).toEqual({ status: 200, outcome: "applied" });
  const calls = await hookCalls(t);
  expect(calls).toHaveLength(1);
  expect(calls[0]).toMatchObject({ table: "users", op: "create", source: "webhook", before: null });
});
