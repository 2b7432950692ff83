import { describe, expect, test } from "vitest";
import { PayloadError } from "../lib/payload.js";
import { eventVersion, readEnvelope, type ClerkEvent } from "./envelope.js";

describe("readEnvelope", () => {
  test("reads type, data, timestamp and instance id", () => {
    const event = readEnvelope({
      data: { id: "user_1" },
      object: "event",
      type: "user.created",
      timestamp: 1_760_000_000_000,
      instance_id: "ins_1",
    });
    expect(event).toEqual({
      type: "user.created",
      data: { id: "user_1" },
      timestamp: 1_760_000_000_000,
      instanceId: "ins_1",
    });
  });

  test("a missing timestamp or instance id reads as null", () => {
    expect(readEnvelope({ type: "user.created", data: {} })).toEqual({
      type: "user.created",
      data: {},
      timestamp: null,
      instanceId: null,
    });
  });

  // Each failure says what is wrong: the message is kept on the failed event for whoever fixes it.
  test.each([
    ["an array", [{ type: "user.created", data: {} }], "event: the body is not a JSON object"],
    ["a string", "user.created", "event: the body is not a JSON object"],
    ["null", null, "event: the body is not a JSON object"],
    ["no type", { data: {} }, 'event: "type" is missing or not a string'],
    ["a type that is not a string", { type: 7, data: {} }, 'event: "type" is missing or not a string'],
    ["no data", { type: "user.created" }, 'user.created: "data" is missing or not an object'],
    ["data that is an array", { type: "user.created", data: [] }, 'user.created: "data" is missing or not an object'],
  ])("%s is a PayloadError naming the problem", (_what, json, message) => {
    expect(() => readEnvelope(json)).toThrow(PayloadError);
    expect(() => readEnvelope(json)).toThrow(new PayloadError(message));
  });
});

describe("eventVersion", () => {
  const event = (data: ClerkEvent["data"], timestamp: number | null): ClerkEvent => ({
    type: "user.updated",
    data,
    timestamp,
    instanceId: null,
  });

  test("the data's updated_at first, then the envelope timestamp, then the time it arrived", () => {
    expect(eventVersion(event({ updated_at: 10 }, 20), 30)).toBe(10);
    expect(eventVersion(event({}, 20), 30)).toBe(20);
    expect(eventVersion(event({}, null), 30)).toBe(30);
    // An updated_at that is not a finite number is no version.
    expect(eventVersion(event({ updated_at: "10" }, 20), 30)).toBe(20);
    // 0 is a version like any other.
    expect(eventVersion(event({ updated_at: 0 }, 20), 30)).toBe(0);
  });
});
