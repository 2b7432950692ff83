import { describe, expect, test } from "vitest";
import { checkAddresses, parseAddresses } from "./inviteAddresses";

describe("parseAddresses", () => {
  test("splits on commas, semicolons, spaces and new lines; lower case; each once, in order", () => {
    expect(parseAddresses(" Grace@Example.com, mary@example.com;\nGRACE@example.com  dorothy@example.com,")).toEqual([
      "grace@example.com",
      "mary@example.com",
      "dorothy@example.com",
    ]);
    expect(parseAddresses("  ,\n ")).toEqual([]);
  });
});

describe("checkAddresses", () => {
  test("sorts each address: not one, a member, already invited (with the invitation), or to send", () => {
    expect(
      checkAddresses(
        ["grace", "charles@example.com", "katherine@example.com", "mary@example.com"],
        new Set(["charles@example.com"]),
        [{ invitationId: "orginv_kj", emailAddress: "Katherine@Example.com" }],
      ),
    ).toEqual([
      { address: "grace", check: { kind: "invalid" } },
      { address: "charles@example.com", check: { kind: "member" } },
      { address: "katherine@example.com", check: { kind: "invited", invitationId: "orginv_kj" } },
      { address: "mary@example.com", check: { kind: "send" } },
    ]);
  });
});
