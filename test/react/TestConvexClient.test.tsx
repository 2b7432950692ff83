import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "../../convex/_generated/api";
import { ADA, userEvent } from "../clerkEvents";
import { newBackend, SECRET } from "../convex";
import { TestConvexClient } from "./TestConvexClient";

beforeEach(() => {
  vi.stubEnv("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const ada = { subject: ADA, name: "Ada Lovelace" };

describe("TestConvexClient", () => {
  test("a subscribed query loads, then answers again after a webhook and after a mutation", async () => {
    const client = new TestConvexClient(newBackend(), ada);
    const seen: unknown[] = [];
    const unsubscribe = client.subscribe(api.users.me, {}, () => seen.push(client.getState(api.users.me, {})));
    expect(client.getState(api.users.me, {})).toEqual({ status: "loading" });
    await vi.waitFor(() => expect(seen).toHaveLength(1));

    await client.deliver(userEvent("user.created", { id: ADA, first_name: "Augusta" }));
    expect(client.getState(api.users.me, {})).toMatchObject({ status: "ok", value: { name: "Augusta Lovelace" } });

    await client.mutation(api.users.updateProfile, { country: "gb" });
    expect(client.getState(api.users.me, {})).toMatchObject({ status: "ok", value: { country: "GB" } });
    unsubscribe();
  });

  test("a failed mutation still refreshes, and rejects with the function's error", async () => {
    const client = new TestConvexClient(newBackend(), ada);
    await expect(client.mutation(api.users.updateProfile, { country: "XX" })).rejects.toMatchObject({
      data: { code: "INVALID_PROFILE", field: "country" },
    });
  });

  test("the last subscriber leaving drops the query; signed out, queries run without an identity", async () => {
    const client = new TestConvexClient(newBackend(), null);
    const unsubscribe = client.subscribe(api.users.me, {}, () => {});
    await vi.waitFor(() => expect(client.getState(api.users.me, {})).toEqual({ status: "ok", value: null }));
    unsubscribe();
    expect(client.getState(api.users.me, {})).toEqual({ status: "loading" });
  });
});
