import { useOrganization } from "@clerk/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { Avatar } from "../../components/Avatar";
import { EmptyState } from "../../components/EmptyState";
import { LoadingState } from "../../components/LoadingState";
import { Panel } from "../../components/Panel";
import { RelativeTime } from "../../components/RelativeTime";
import { TruncatedText } from "../../components/TruncatedText";
import { clerkMessage } from "./usePendingActions";

type Organization = NonNullable<ReturnType<typeof useOrganization>["organization"]>;
type MembershipRequest = Awaited<ReturnType<Organization["getMembershipRequests"]>>["data"][number];
type RowState = { phase: "saving"; label: string } | { phase: "refused"; label: string; message: string };

const BUTTON =
  "rounded-lg px-3 py-1.5 text-sm font-medium shadow-sm focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-1 focus-visible:outline-none disabled:opacity-50";

function nameOf(request: MembershipRequest): string {
  const { firstName, lastName, identifier } = request.publicUserData;
  return [firstName, lastName].filter(Boolean).join(" ") || identifier || "Someone";
}

/**
 * People who asked to join (what a verified domain's suggestion leads to), for those who may
 * manage members. Clerk sends no webhook for requests, so they come from Clerk's SDK: read when
 * the panel opens, when the window regains focus, and after each Accept or Reject, whose row
 * settles on Clerk's answer. An accepted person joins the members list when Clerk's membership
 * webhook lands.
 */
export function MembershipRequestsPanel() {
  const { organization } = useOrganization();
  const current = useRef(organization);
  useEffect(() => {
    current.current = organization;
  });
  const organizationId = organization?.id ?? null;
  const [requests, setRequests] = useState<MembershipRequest[] | undefined>(undefined);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [rows, setRows] = useState<ReadonlyMap<string, RowState>>(new Map());
  const [outcome, setOutcome] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const found = current.current;
    if (!found) return;
    try {
      const { data } = await found.getMembershipRequests({ status: "pending", pageSize: 50 });
      if (current.current?.id !== found.id) return;
      setRequests(data);
      setLoadProblem(null);
    } catch (error) {
      setLoadProblem(clerkMessage(error));
    }
  }, []);

  useEffect(() => {
    // The team page is keyed by team: a new team mounts a new panel.
    if (organizationId === null) return;
    void refresh();
    const onFocus = () => void refresh();
    const onVisible = () => {
      if (document.visibilityState === "visible") void refresh();
    };
    window.addEventListener("focus", onFocus);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.removeEventListener("focus", onFocus);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [organizationId, refresh]);

  const setRow = (id: string, state: RowState | null) =>
    setRows((now) => {
      const next = new Map(now);
      if (state === null) next.delete(id);
      else next.set(id, state);
      return next;
    });

  async function answer(request: MembershipRequest, accept: boolean) {
    const name = nameOf(request);
    const label = accept ? `Accepting ${name}` : `Rejecting ${name}`;
    setOutcome(null);
    setRow(request.id, { phase: "saving", label });
    try {
      await (accept ? request.accept() : request.reject());
      setRow(request.id, null);
      setRequests((now) => now?.filter((candidate) => candidate.id !== request.id));
      setOutcome(
        accept
          ? `${name} is accepted: they show in the members list as soon as Clerk tells Roster.`
          : `${name}'s request is rejected.`,
      );
    } catch (error) {
      setRow(request.id, { phase: "refused", label, message: clerkMessage(error) });
    }
    await refresh();
  }

  return (
    <Panel
      title="Requests to join"
      description="People who asked to join this team. Clerk lists them; Roster refreshes the list when you come back to this window."
      actions={
        <button
          type="button"
          onClick={() => void refresh()}
          className={`${BUTTON} border border-slate-300 bg-white text-slate-700 hover:bg-slate-50`}
        >
          Refresh
        </button>
      }
    >
      {outcome !== null ? (
        <p role="status" className="mb-3 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          {outcome}
        </p>
      ) : null}
      {loadProblem !== null ? (
        <p role="alert" className="mb-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800">
          Could not read the requests from Clerk. {loadProblem}
        </p>
      ) : null}
      {[...rows].flatMap(([id, state]) =>
        state.phase === "refused" && !(requests ?? []).some((request) => request.id === id)
          ? [
              <div
                key={id}
                role="alert"
                className="mb-3 flex flex-wrap items-start gap-x-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800"
              >
                <p className="min-w-0 flex-1">
                  {state.label}: not saved. {state.message} The request is no longer pending.
                </p>
                <button
                  type="button"
                  onClick={() => setRow(id, null)}
                  className="rounded font-medium underline underline-offset-2"
                >
                  Dismiss
                </button>
              </div>,
            ]
          : [],
      )}
      {requests === undefined ? (
        loadProblem === null ? (
          <LoadingState label="Loading requests…" rows={2} />
        ) : null
      ) : requests.length === 0 ? (
        <EmptyState title="No requests to join">
          When someone with an address at one of the team&rsquo;s verified domains asks to join, they show here.
        </EmptyState>
      ) : (
        <ul aria-label="Requests to join" className="divide-y divide-slate-100">
          {requests.map((request) => {
            const name = nameOf(request);
            const state = rows.get(request.id);
            const busy = state?.phase === "saving";
            return (
              <li key={request.id} className="py-2.5" aria-busy={busy}>
                <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
                  <Avatar name={name} imageUrl={null} size="md" />
                  <div className="min-w-0 flex-1 basis-40">
                    <TruncatedText text={name} className="block text-sm font-medium text-slate-900" />
                    <p className="text-xs text-slate-600 [overflow-wrap:anywhere]">
                      {request.publicUserData.identifier} · asked <RelativeTime at={request.createdAt.getTime()} />
                    </p>
                  </div>
                  <div className="flex gap-2">
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() => void answer(request, true)}
                      aria-label={`Accept ${name}`}
                      className={`${BUTTON} bg-brand-600 text-white hover:bg-brand-700`}
                    >
                      Accept
                    </button>
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() => void answer(request, false)}
                      aria-label={`Reject ${name}`}
                      className={`${BUTTON} border border-slate-300 bg-white text-slate-700 hover:bg-slate-50`}
                    >
                      Reject
                    </button>
                  </div>
                </div>
                {state ? (
                  <p
                    role={state.phase === "refused" ? "alert" : "status"}
                    className={`mt-2 text-sm ${state.phase === "refused" ? "rounded-lg bg-red-50 px-3 py-2 text-red-800" : "text-slate-600"}`}
                  >
                    {state.phase === "saving"
                      ? `${state.label}: Saving…`
                      : `${state.label}: not saved. ${state.message}`}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}
