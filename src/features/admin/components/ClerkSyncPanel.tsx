import { useId, useRef, useState } from "react";
import { api } from "../../../../convex/_generated/api";
import { useMutation, useQuery } from "../../../lib/convex";
import type { ErrorInfo } from "../../../lib/errors";
import { canResume, describeSyncError, isActive, type SyncMode } from "../lib/sync";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { EmptyState } from "../../../components/EmptyState";
import { ErrorPanel } from "../../../components/ErrorPanel";
import { LoadingState } from "../../../components/LoadingState";
import { Panel } from "../../../components/Panel";
import { SyncRunCard } from "./SyncRunCard";
import { SyncRunRow } from "./SyncRunRow";

const SET_KEY_COMMAND = "npx convex env set CLERK_SECRET_KEY sk_…";

/**
 * Backfill and reconcile from Clerk, for app admins: start one (reconcile after a confirmation,
 * since it removes rows), watch it live, cancel or resume it. Says what to set when
 * CLERK_SECRET_KEY is missing, and explains every refusal from the server.
 */
export function ClerkSyncPanel({ viewerId }: { viewerId: string }) {
  const status = useQuery(api.clerk.admin.syncStatus, {});
  const startSync = useMutation(api.clerk.admin.startSync);
  const resumeSync = useMutation(api.clerk.admin.resumeSync);
  const cancelSync = useMutation(api.clerk.admin.cancelSync);
  const confirmSync = useMutation(api.clerk.admin.confirmSync);
  const [pending, setPending] = useState<SyncMode | "resume" | "cancel" | "confirm" | null>(null);
  const [problem, setProblem] = useState<ErrorInfo | null>(null);
  const [confirmingReconcile, setConfirmingReconcile] = useState(false);
  const [startedRunId, setStartedRunId] = useState<string | null>(null);
  const hintId = useId();
  const controls = useRef<HTMLDivElement>(null);

  async function act(action: NonNullable<typeof pending>, request: () => Promise<unknown>) {
    if (pending !== null) return;
    setPending(action);
    setProblem(null);
    try {
      await request();
    } catch (error) {
      setProblem(describeSyncError(error));
    } finally {
      setPending(null);
    }
  }

  function start(mode: SyncMode) {
    void act(mode, async () => setStartedRunId(await startSync({ mode })));
  }

  if (status === undefined)
    return (
      <Panel title="Backfill and reconcile from Clerk">
        <LoadingState label="Loading backfill runs…" rows={2} />
      </Panel>
    );

  const { configured, runs } = status;
  const active = runs.find(isActive) ?? null;
  const current = active ?? runs[0] ?? null;
  const earlier = runs.filter((run) => run !== current);
  const canStart = configured && active === null && pending === null;
  const resumable = (run: (typeof runs)[number]) => canResume(run) && (active === null || active.runId === run.runId);
  const resume = (runId: string) => void act("resume", () => resumeSync({ runId }));
  // An earlier run, resumed, moves up into the card: the focus follows it there.
  const resumeEarlier = (runId: string) =>
    void act("resume", async () => {
      await resumeSync({ runId });
      setStartedRunId(runId);
    });
  const cancel = (runId: string) => void act("cancel", () => cancelSync({ runId }));
  const confirm = (runId: string) => void act("confirm", () => confirmSync({ runId }));

  return (
    <Panel
      title="Backfill and reconcile from Clerk"
      description="Webhooks only carry changes. Copy what Clerk already has, newer-wins, without bringing back anything deleted."
    >
      <div className="space-y-4">
        {!configured ? (
          <div className="rounded-xl border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
            <p className="font-semibold">Not configured: CLERK_SECRET_KEY is not set</p>
            <p className="mt-0.5 text-amber-800">
              Backfill and reconcile read Clerk&rsquo;s Backend API with your instance&rsquo;s secret key. Copy it from
              Clerk&rsquo;s dashboard (Configure → API keys) and run:
            </p>
            <pre className="mt-2 rounded-lg bg-slate-900 px-3 py-2 font-mono text-xs break-words whitespace-pre-wrap text-slate-100">
              <code>{SET_KEY_COMMAND}</code>
            </pre>
          </div>
        ) : null}

        <div
          ref={controls}
          tabIndex={-1}
          className="flex flex-col gap-3 outline-none sm:flex-row sm:items-center sm:justify-between"
        >
          <p id={hintId} className="text-sm text-slate-600">
            {!configured
              ? "Nothing can start until the key is set."
              : active?.status === "awaitingConfirmation"
                ? "A reconcile waits for your confirmation. Confirm or cancel it to start another."
                : active !== null
                  ? `A ${active.mode} is going. Cancel it to start another.`
                  : "Backfill adds and updates. Reconcile does the same, then removes what Clerk no longer has."}
          </p>
          <div className="flex shrink-0 flex-wrap gap-2">
            <button
              type="button"
              onClick={() => start("backfill")}
              disabled={!canStart}
              aria-describedby={hintId}
              className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:cursor-not-allowed disabled:opacity-50"
            >
              {pending === "backfill" ? "Starting…" : "Start backfill"}
            </button>
            <button
              type="button"
              onClick={() => setConfirmingReconcile(true)}
              disabled={!canStart}
              aria-describedby={hintId}
              aria-haspopup="dialog"
              className="rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50"
            >
              {pending === "reconcile" ? "Starting…" : "Reconcile…"}
            </button>
          </div>
        </div>

        {problem ? (
          <ErrorPanel
            info={problem}
            onDismiss={() => {
              setProblem(null);
              controls.current?.focus();
            }}
          />
        ) : null}

        {current === null ? (
          <EmptyState title="No backfill has run yet">
            Run one after adding the webhook to an existing Clerk application, so Roster has what Clerk already held.
          </EmptyState>
        ) : (
          <SyncRunCard
            key={current.runId}
            run={current}
            viewerId={viewerId}
            busy={pending !== null}
            canResumeNow={resumable(current)}
            focusOnMount={current.runId === startedRunId}
            onCancel={() => cancel(current.runId)}
            onResume={() => resume(current.runId)}
            onConfirm={() => confirm(current.runId)}
          />
        )}

        {earlier.length > 0 ? (
          <div>
            <h3 className="text-sm font-semibold text-slate-700">Earlier runs</h3>
            <ul aria-label="Earlier runs" className="divide-y divide-slate-100">
              {earlier.map((run) => (
                <SyncRunRow
                  key={run.runId}
                  run={run}
                  viewerId={viewerId}
                  busy={pending !== null}
                  canResumeNow={resumable(run)}
                  onResume={() => resumeEarlier(run.runId)}
                />
              ))}
            </ul>
          </div>
        ) : null}
      </div>

      <ConfirmDialog
        open={confirmingReconcile}
        title="Reconcile with Clerk?"
        confirmLabel="Start reconcile"
        onClose={() => setConfirmingReconcile(false)}
        onConfirm={() => {
          setConfirmingReconcile(false);
          start("reconcile");
        }}
      >
        <p>
          Reconcile copies everything from Clerk, then <strong>deletes</strong> the users, organizations and memberships
          Roster holds that Clerk no longer has, with everything that belongs to them.
        </p>
        <p>
          Roster asks Clerk about each id before removing it, and removes nothing until it has counted: when it would
          remove more than 100 rows or 10&nbsp;% of a table (the deployment may set other limits), it waits for your
          confirmation. A removed row comes back when Clerk shows it again (a webhook or a backfill).
        </p>
      </ConfirmDialog>
    </Panel>
  );
}
