import { describe, expect, test } from "vitest";
import { displayName, memberName, personName } from "./names.js";

const nobody = { firstName: null, lastName: null, username: null, email: null, phone: null };

describe("the names shown for people", () => {
  test("personName: first and last name, either alone, never blanks or an identifier", () => {
    expect(personName({ firstName: "Ada", lastName: "Lovelace" })).toBe("Ada Lovelace");
    expect(personName({ firstName: "Ada", lastName: null })).toBe("Ada");
    expect(personName({ firstName: "  ", lastName: "Lovelace" })).toBe("Lovelace");
    expect(personName({ firstName: null, lastName: "" })).toBeNull();
  });

  test("displayName falls back to the username, the email, the phone, then the fallback", () => {
    expect(displayName({ ...nobody, firstName: "Ada", username: "ada" })).toBe("Ada");
    expect(displayName({ ...nobody, username: "ada", email: "ada@example.com" })).toBe("ada");
    expect(displayName({ ...nobody, email: "ada@example.com", phone: "+15555550100" })).toBe("ada@example.com");
    expect(displayName({ ...nobody, phone: "+15555550100" })).toBe("+15555550100");
    expect(displayName(nobody)).toBe("Unnamed user");
    expect(displayName(nobody, "")).toBe("");
  });

  test("memberName: first and last name from a membership's public data, else the identifier", () => {
    const data = (firstName: string | null, lastName: string | null, identifier: string | null) => ({
      publicUserData: { firstName, lastName, identifier, imageUrl: null },
    });
    expect(memberName(data("Ada", "Lovelace", "ada@x.io"))).toBe("Ada Lovelace");
    expect(memberName(data(null, null, "ada@x.io"))).toBe("ada@x.io");
    expect(memberName(data(null, " ", null))).toBe("Unnamed user");
  });
});
