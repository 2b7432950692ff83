import { cleanup, render, screen, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { UNKNOWN_ROLE_HINT } from "../../components/RoleBadge";
import { MemberRow, type MemberSummary } from "./MemberRow";
import { DEFAULT_ROLE_OPTIONS } from "./useOrganizationRoles";

const charles: MemberSummary = {
  membershipId: "orgmem_charles",
  userId: "user_charles",
  name: "Charles Babbage",
  identifier: "charles@example.com",
  imageUrl: null,
  role: "org:auditor",
  roleName: "Auditor",
  isActive: false,
};

function row(member: MemberSummary, canManage: boolean) {
  render(
    <ul>
      <MemberRow member={member} isYou={false} canManage={canManage} roles={DEFAULT_ROLE_OPTIONS} />
    </ul>,
  );
  return screen.getByRole("listitem");
}

describe("a member whose role Clerk does not have", () => {
  test("reads 'Unknown role', with why, instead of the role's name", () => {
    const item = row({ ...charles, roleUnknown: true }, false);
    const badge = within(item).getByText("Unknown role");
    expect(badge.getAttribute("title")).toBe(`Auditor: ${UNKNOWN_ROLE_HINT}`);
    expect(item.textContent).toContain(UNKNOWN_ROLE_HINT);
    expect(within(item).queryByText("Auditor")).toBeNull();
  });

  test("for those who manage members, the role picker says 'Unknown role' and offers the others", () => {
    const item = row({ ...charles, role: "org:member", roleName: "Member", roleUnknown: true }, true);
    const select = within(item).getByRole("combobox", { name: "Role of Charles Babbage" });
    expect(select.getAttribute("title")).toBe(UNKNOWN_ROLE_HINT);
    expect(
      within(select)
        .getAllByRole("option")
        .map((option) => option.textContent),
    ).toEqual(["Unknown role", "Admin"]);
  });

  test("a known role reads as before", () => {
    expect(within(row(charles, false)).getByText("Auditor")).toBeTruthy();
    cleanup();
    const select = within(row(charles, true)).getByRole("combobox");
    expect(select.getAttribute("title")).toBeNull();
    expect(
      within(select)
        .getAllByRole("option")
        .map((option) => option.textContent),
    ).toEqual(["Auditor", "Admin", "Member"]);
  });
});
