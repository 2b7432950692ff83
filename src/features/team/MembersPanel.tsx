import { useOrganization } from "@clerk/react";
import { useEffect, useRef } from "react";
import { useSearchParams } from "react-router";
import { api } from "../../../convex/_generated/api";
import { useDebouncedValue } from "../../hooks/useDebouncedValue";
import { usePaginatedQuery, useQuery } from "../../lib/convex";
import { EmptyState } from "../../components/EmptyState";
import { LoadingState } from "../../components/LoadingState";
import { MemberRow, type MemberSummary } from "./MemberRow";
import { useOrganizationRoles } from "./useOrganizationRoles";
import { usePendingActions } from "./usePendingActions";
import { useNotedDeparture } from "./useNotedDeparture";
import { Panel } from "../../components/Panel";

/** Why Roster does not ask Clerk to demote the team's last keeper (Clerk would refuse). */
export const LAST_KEEPER_ROLE_MESSAGE =
  "Someone must keep the right to manage this team's members and to delete it, and this member is the only one. Make another member an admin first.";

export const MEMBERS_PAGE_SIZE = 20;

/**
 * The organization's members, live, a page at a time, searchable by name or email (kept in `?q=`).
 * Those who may manage members change roles and remove members here, through Clerk; each change
 * stays pending on its row until Clerk's webhook lands and the list shows it.
 */
export function MembersPanel({
  organizationId,
  membersCount,
  viewerId,
  canManage,
}: {
  organizationId: string;
  membersCount: number | null;
  viewerId: string;
  canManage: boolean;
}) {
  const { organization } = useOrganization();
  const roles = useOrganizationRoles();
  const [searchParams, setSearchParams] = useSearchParams();
  const search = searchParams.get("q") ?? "";
  const debounced = useDebouncedValue(search.trim());
  const { results, status, loadMore } = usePaginatedQuery(
    api.organizations.members,
    debounced === "" ? { organizationId } : { organizationId, search: debounced },
    { initialNumItems: MEMBERS_PAGE_SIZE },
  );
  const members = results as MemberSummary[];
  const pending = usePendingActions(members);
  const keepers = useQuery(api.organizations.keepers, canManage ? { organizationId } : "skip");
  const depart = useNotedDeparture();
  const list = useRef<HTMLUListElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  /** The member just removed and where their row was: focus moves to the row now there once they are gone. */
  const removed = useRef<{ userId: string; index: number } | null>(null);

  useEffect(() => {
    const target = removed.current;
    if (target === null || members.some((member) => member.userId === target.userId)) return;
    removed.current = null;
    // Only when the focus was lost with the row (not when the viewer has moved on meanwhile).
    const active = document.activeElement;
    if (active !== null && active !== document.body && active.isConnected) return;
    const rows = list.current?.querySelectorAll<HTMLElement>(":scope > li") ?? [];
    const row = rows[Math.min(target.index, rows.length - 1)];
    const next = row?.querySelector<HTMLElement>("button[aria-haspopup='menu']:not(:disabled)");
    (next ?? searchBox.current)?.focus();
  }, [members]);

  function changeRole(member: MemberSummary, role: string) {
    if (!organization || role === member.role) return;
    const name = roles.find((candidate) => candidate.key === role)?.name ?? role;
    const lastKeeper = keepers?.soleKeeperId === member.userId && !keepers.keeperRoles.includes(role);
    void pending.run(
      member.userId,
      `Making ${member.name} ${name}`,
      () =>
        lastKeeper
          ? Promise.reject(new Error(LAST_KEEPER_ROLE_MESSAGE))
          : organization.updateMember({ userId: member.userId, role }),
      (now) => now.some((candidate) => candidate.userId === member.userId && candidate.role === role),
    );
  }

  function remove(member: MemberSummary) {
    if (!organization) return;
    removed.current = { userId: member.userId, index: members.indexOf(member) };
    void pending.run(
      member.userId,
      `Removing ${member.name}`,
      () => depart(organizationId, member.userId, () => organization.removeMember(member.userId)),
      (now) => !now.some((candidate) => candidate.userId === member.userId),
    );
  }

  function onSearch(value: string) {
    setSearchParams(
      (params) => {
        if (value === "") params.delete("q");
        else params.set("q", value);
        return params;
      },
      { replace: true },
    );
  }

  return (
    <Panel
      title="Members"
      description={membersCount === null ? "Everyone in this team." : `${membersCount} in this team.`}
    >
      <div className="relative">
        <label htmlFor="member-search" className="sr-only">
          Search members by name or email
        </label>
        <svg
          aria-hidden="true"
          viewBox="0 0 20 20"
          className="pointer-events-none absolute top-2.5 left-3 size-4 fill-slate-400"
        >
          <path d="M8.5 3a5.5 5.5 0 0 1 4.38 8.83l3.65 3.64a.75.75 0 1 1-1.06 1.06l-3.64-3.65A5.5 5.5 0 1 1 8.5 3Zm0 1.5a4 4 0 1 0 0 8 4 4 0 0 0 0-8Z" />
        </svg>
        <input
          ref={searchBox}
          id="member-search"
          type="search"
          value={search}
          onChange={(event) => onSearch(event.target.value)}
          placeholder="Search by name or email"
          autoComplete="off"
          className="block w-full rounded-lg border border-slate-300 py-2 pr-3 pl-9 text-sm shadow-sm placeholder:text-slate-500 focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 focus:outline-none"
        />
      </div>
      <div className="mt-3">
        {status === "LoadingFirstPage" ? (
          <LoadingState label="Loading members…" rows={4} />
        ) : results.length === 0 ? (
          debounced === "" ? (
            <EmptyState title="No members yet">People appear here as they join the team.</EmptyState>
          ) : (
            <EmptyState title={`No members match “${debounced}”`}>Try part of a name or an email address.</EmptyState>
          )
        ) : (
          <ul ref={list} aria-label="Members" className="divide-y divide-slate-100">
            {members.map((member) => (
              <MemberRow
                key={member.membershipId}
                member={member}
                isYou={member.userId === viewerId}
                canManage={canManage}
                roles={roles}
                pending={pending.stateOf(member.userId)}
                onChangeRole={(role) => changeRole(member, role)}
                onRemove={() => remove(member)}
                onDismiss={() => pending.dismiss(member.userId)}
              />
            ))}
          </ul>
        )}
      </div>
      {status === "CanLoadMore" || status === "LoadingMore" ? (
        <div className="mt-3 flex justify-center">
          <button
            type="button"
            onClick={() => loadMore(MEMBERS_PAGE_SIZE)}
            disabled={status === "LoadingMore"}
            className="rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:opacity-60"
          >
            {status === "LoadingMore" ? "Loading more…" : "Show more members"}
          </button>
        </div>
      ) : null}
    </Panel>
  );
}
