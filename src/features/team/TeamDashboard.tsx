import { lazy, Suspense, useState, type KeyboardEvent } from "react";
import { api } from "../../../convex/_generated/api";
import { EmptyState } from "../../components/EmptyState";
import { Panel } from "../../components/Panel";
import { QueryBoundary } from "../../components/QueryBoundary";
import { useQuery } from "../../lib/convex";
import { ActivityFeed } from "./ActivityFeed";
import { MembersPanel } from "./MembersPanel";
import { OrganizationSummary } from "./OrganizationSummary";
import { LoadingState } from "../../components/LoadingState";
import { TeamSkeleton } from "./TeamSkeleton";

// The tabs only those who manage members open: their own chunks, loaded when opened.
const InvitationsPanel = lazy(async () => ({ default: (await import("./InvitationsPanel")).InvitationsPanel }));
const MembershipRequestsPanel = lazy(async () => ({
  default: (await import("./MembershipRequestsPanel")).MembershipRequestsPanel,
}));

type Tab = { id: "members" | "invitations" | "requests" | "domains" | "settings"; label: string };

// The domains and settings tabs load on demand: most visits never open them.
const DomainsPanel = lazy(async () => ({ default: (await import("./DomainsPanel")).DomainsPanel }));
const TeamSettingsPanel = lazy(async () => ({ default: (await import("./TeamSettingsPanel")).TeamSettingsPanel }));

/**
 * Once the tab has rendered (its code may still be loading): focus the element the first of
 * `selectors` that matches finds, trying for up to two seconds.
 */
function focusSoon(...selectors: string[]) {
  const until = Date.now() + 2000;
  const attempt = () => {
    for (const selector of selectors) {
      const found = document.querySelector<HTMLElement>(selector);
      if (found) return found.focus();
    }
    if (Date.now() < until) setTimeout(attempt, 50);
  };
  setTimeout(attempt, 0);
}

/**
 * One team's page. The members, and (for those allowed) invitations and domains, sit in tabs beside
 * the activity feed. Each section has its own error boundary, so one failing query leaves the others
 * working; what a section shows follows the viewer's live permissions (`viewer`, from the server).
 */
export function TeamDashboard({ organizationId }: { organizationId: string }) {
  const organization = useQuery(api.organizations.get, { organizationId });
  const [tab, setTab] = useState<Tab["id"]>("members");
  if (organization === undefined) return <TeamSkeleton />;

  const { viewer } = organization;
  const tabs: Tab[] = [
    { id: "members", label: "Members" },
    ...(viewer.canManageMembers
      ? [
          { id: "invitations" as const, label: "Invitations" },
          { id: "requests" as const, label: "Requests" },
        ]
      : []),
    ...(viewer.canReadDomains ? [{ id: "domains" as const, label: "Domains" }] : []),
    ...(viewer.canManageProfile || viewer.canDeleteTeam ? [{ id: "settings" as const, label: "Settings" }] : []),
  ];
  const current = tabs.some((candidate) => candidate.id === tab) ? tab : "members";

  function onTabKey(event: KeyboardEvent) {
    const index = tabs.findIndex((candidate) => candidate.id === current);
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = tabs[(index + step + tabs.length) % tabs.length];
    if (next) {
      setTab(next.id);
      document.getElementById(`team-tab-${next.id}`)?.focus();
    }
  }

  return (
    <div className="space-y-6">
      <OrganizationSummary
        organization={organization}
        onMakeAdmin={() => {
          // The members list, on the first other member's role.
          setTab("members");
          focusSoon('ul[aria-label="Members"] select', "#member-search");
        }}
        onDelete={
          viewer.canDeleteTeam
            ? () => {
                setTab("settings");
                focusSoon("#delete-team-button");
              }
            : undefined
        }
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">
          {tabs.length > 1 ? (
            <div
              role="tablist"
              aria-label="Team sections"
              onKeyDown={onTabKey}
              className="mb-3 flex flex-wrap gap-1 p-1"
            >
              {tabs.map((candidate) => (
                <button
                  key={candidate.id}
                  id={`team-tab-${candidate.id}`}
                  type="button"
                  role="tab"
                  aria-selected={candidate.id === current}
                  aria-controls={`team-panel-${candidate.id}`}
                  tabIndex={candidate.id === current ? 0 : -1}
                  onClick={() => setTab(candidate.id)}
                  className={`rounded-lg px-3 py-1.5 text-sm font-medium focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:outline-none ${
                    candidate.id === current ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100"
                  }`}
                >
                  {candidate.label}
                </button>
              ))}
            </div>
          ) : null}
          <div
            id={`team-panel-${current}`}
            role={tabs.length > 1 ? "tabpanel" : undefined}
            aria-labelledby={tabs.length > 1 ? `team-tab-${current}` : undefined}
          >
            {current === "invitations" ? (
              <QueryBoundary>
                <Suspense fallback={<LoadingState label="Loading invitations…" rows={2} />}>
                  <InvitationsPanel organizationId={organizationId} />
                </Suspense>
              </QueryBoundary>
            ) : current === "settings" ? (
              <QueryBoundary>
                <Suspense fallback={<LoadingState label="Loading the team's settings…" rows={2} />}>
                  <TeamSettingsPanel team={organization} />
                </Suspense>
              </QueryBoundary>
            ) : current === "requests" ? (
              <QueryBoundary>
                <Suspense fallback={<LoadingState label="Loading requests…" rows={2} />}>
                  <MembershipRequestsPanel />
                </Suspense>
              </QueryBoundary>
            ) : current === "domains" ? (
              <QueryBoundary>
                <Suspense fallback={<LoadingState label="Loading domains…" rows={1} />}>
                  <DomainsPanel organizationId={organizationId} canManage={viewer.canManageDomains} />
                </Suspense>
              </QueryBoundary>
            ) : viewer.canReadMembers ? (
              <QueryBoundary>
                <MembersPanel
                  organizationId={organizationId}
                  membersCount={organization.membersCount}
                  viewerId={viewer.userId}
                  canManage={viewer.canManageMembers}
                />
              </QueryBoundary>
            ) : (
              <Panel title="Members">
                <EmptyState title="Your role does not show the members list">
                  Ask an admin of this team for a role that can see its members.
                </EmptyState>
              </Panel>
            )}
          </div>
        </div>
        <div className="min-w-0">
          <QueryBoundary>
            <ActivityFeed organizationId={organizationId} />
          </QueryBoundary>
        </div>
      </div>
    </div>
  );
}
