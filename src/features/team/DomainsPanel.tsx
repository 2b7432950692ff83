import { useOrganization } from "@clerk/react";
import { useId, useRef, useState, type FormEvent } from "react";
import { api } from "../../../convex/_generated/api";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { EmptyState } from "../../components/EmptyState";
import { LoadingState } from "../../components/LoadingState";
import { Panel } from "../../components/Panel";
import { useQuery } from "../../lib/convex";
import { PendingNote } from "./PendingNote";
import { clerkMessage, usePendingActions } from "./usePendingActions";
import { useOrganizationSettings } from "./useOrganizationSettings";

export const ENROLLMENT: Record<string, { label: string; hint: string }> = {
  manual_invitation: { label: "Manual invitation", hint: "Nothing automatic: an admin invites people." },
  automatic_invitation: {
    label: "Automatic invitation",
    hint: "People with an address there get an invitation and join at once.",
  },
  automatic_suggestion: {
    label: "Automatic suggestion",
    hint: "People with an address there may ask to join; an admin accepts them.",
  },
};

type Domain = { domainId: string; name: string; enrollmentMode: string | null; verificationStatus: string | null };
type Pending = ReturnType<typeof usePendingActions<Domain[]>>;
type ClerkOrganization = NonNullable<ReturnType<typeof useOrganization>["organization"]>;

const INPUT =
  "block w-full min-w-0 rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm focus-visible:border-brand-500 focus-visible:ring-2 focus-visible:ring-brand-500/40 focus-visible:outline-none";
const BUTTON_PRIMARY =
  "rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2 focus-visible:outline-none disabled:opacity-60";
const BUTTON_SECONDARY =
  "rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:outline-none disabled:opacity-50";

/** A domain name as Clerk takes it (`example.com`), or null. */
export function domainName(text: string): string | null {
  const name = text.trim().toLowerCase().replace(/^@/, "");
  return /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(name) ? name : null;
}

/** The domain's resource in Clerk's SDK (it carries the verification and enrollment calls). */
async function clerkDomain(organization: ClerkOrganization, domainId: string) {
  return await organization.getDomain({ domainId });
}

/**
 * The team's verified domains: people with an email address at one can be invited or suggested
 * automatically. Everyone allowed sees them, verified first; those who may manage domains add one,
 * verify it with the code Clerk emails to an address there, choose its enrollment mode and remove
 * it, through Clerk's SDK, each change "Saving…" until the webhook lands.
 */
export function DomainsPanel({ organizationId, canManage = false }: { organizationId: string; canManage?: boolean }) {
  const domains = useQuery(api.organizations.domains, { organizationId });
  const { organization } = useOrganization();
  const settings = useOrganizationSettings();
  const pending = usePendingActions(domains ?? []);
  const inputId = useId();
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const sorted =
    domains === undefined
      ? undefined
      : [...domains].sort(
          (a, b) =>
            Number(b.verificationStatus === "verified") - Number(a.verificationStatus === "verified") ||
            a.name.localeCompare(b.name),
        );

  function add(event: FormEvent) {
    event.preventDefault();
    const name = domainName(text);
    if (name === null) {
      setProblem("Enter a domain, like example.com.");
      return;
    }
    if (domains?.some((domain) => domain.name === name)) {
      setProblem(`${name} is already one of this team's domains.`);
      return;
    }
    setProblem(null);
    if (!organization) return;
    void pending.run(
      `add:${name}`,
      `Adding ${name}`,
      async () => {
        await organization.createDomain(name);
        setText("");
      },
      (now) => now.some((domain) => domain.name === name),
    );
  }

  const adding = pending.keys.filter((key) => key.startsWith("add:"));
  const manageable = canManage && settings.domainsEnabled && organization !== null && organization !== undefined;

  return (
    <Panel
      title="Domains"
      description={
        canManage ? "People with an email address at a verified domain can join." : "Visible to admins only."
      }
    >
      {manageable ? (
        <form onSubmit={add} noValidate className="mb-4 grid gap-1.5">
          <label htmlFor={inputId} className="text-sm font-medium text-slate-800">
            Add a domain
          </label>
          <div className="flex flex-wrap gap-2">
            <input
              id={inputId}
              value={text}
              onChange={(event) => setText(event.target.value)}
              placeholder="example.com"
              autoCapitalize="none"
              spellCheck={false}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${inputId}-problem` : undefined}
              className={`${INPUT} flex-1 basis-48`}
            />
            <button type="submit" className={BUTTON_PRIMARY}>
              Add domain
            </button>
          </div>
          {problem ? (
            <p id={`${inputId}-problem`} className="text-sm font-medium text-red-700">
              {problem}
            </p>
          ) : null}
          {adding.map((key) => (
            <PendingNote key={key} state={pending.stateOf(key)} onDismiss={() => pending.dismiss(key)} />
          ))}
        </form>
      ) : null}
      {sorted === undefined ? (
        <LoadingState label="Loading domains…" rows={1} />
      ) : sorted.length === 0 ? (
        <EmptyState title="No domains yet">
          Once a domain is added and verified, people with an email there can join.
        </EmptyState>
      ) : (
        <ul aria-label="Domains" className="divide-y divide-slate-100">
          {sorted.map((domain) => (
            <DomainRow
              key={domain.domainId}
              domain={domain}
              organization={manageable ? organization : null}
              modes={settings.enrollmentModes}
              pending={pending}
            />
          ))}
        </ul>
      )}
    </Panel>
  );
}

/** One domain: its name, status and mode; for managers, verify, enrollment mode and remove. */
function DomainRow({
  domain,
  organization,
  modes,
  pending,
}: {
  domain: Domain;
  organization: ClerkOrganization | null;
  modes: string[];
  pending: Pending;
}) {
  const verified = domain.verificationStatus === "verified";
  const key = domain.domainId;
  const state = pending.stateOf(key);
  const busy = state?.phase === "saving";
  const modeId = useId();
  const [mode, setMode] = useState(domain.enrollmentMode ?? "manual_invitation");
  const [deletePending, setDeletePending] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const [removing, setRemoving] = useState(false);
  const removeButton = useRef<HTMLButtonElement>(null);

  function saveMode(event: FormEvent) {
    event.preventDefault();
    if (!organization) return;
    const chosen = mode;
    const drop = chosen === "manual_invitation" && deletePending;
    void pending.run(
      key,
      `Setting ${domain.name} to ${ENROLLMENT[chosen]?.label ?? chosen}`,
      async () =>
        await (
          await clerkDomain(organization, key)
        ).updateEnrollmentMode({
          enrollmentMode: chosen as "manual_invitation",
          deletePending: drop,
        }),
      (now) => now.some((candidate) => candidate.domainId === key && candidate.enrollmentMode === chosen),
    );
  }

  function remove() {
    if (!organization) return;
    void pending.run(
      key,
      `Removing ${domain.name}`,
      async () => await (await clerkDomain(organization, key)).delete(),
      (now) => !now.some((candidate) => candidate.domainId === key),
    );
  }

  return (
    <li className="py-3" aria-busy={busy}>
      <div className="flex flex-wrap items-center gap-3">
        <div className="min-w-0 flex-1 basis-40">
          <p className="font-mono text-sm break-all text-slate-900">{domain.name}</p>
          <p className="text-xs text-slate-600">
            {domain.enrollmentMode === null
              ? "Enrollment not set"
              : (ENROLLMENT[domain.enrollmentMode]?.label ?? domain.enrollmentMode)}
          </p>
        </div>
        <span
          className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
            verified ? "bg-emerald-50 text-emerald-700 ring-emerald-200" : "bg-amber-50 text-amber-800 ring-amber-200"
          }`}
        >
          {verified ? "Verified" : "Not verified"}
        </span>
        {organization ? (
          <div className="flex flex-wrap gap-2">
            {verified ? null : (
              <button
                type="button"
                onClick={() => setVerifying(!verifying)}
                aria-label={`Verify ${domain.name}`}
                aria-expanded={verifying}
                disabled={busy}
                className={BUTTON_SECONDARY}
              >
                Verify
              </button>
            )}
            <button
              ref={removeButton}
              type="button"
              onClick={() => setRemoving(true)}
              aria-label={`Remove ${domain.name}`}
              disabled={busy}
              className={BUTTON_SECONDARY}
            >
              Remove
            </button>
          </div>
        ) : null}
      </div>
      {organization && verifying && !verified ? (
        <VerifyForm domain={domain} organization={organization} pending={pending} />
      ) : null}
      {organization && verified ? (
        <form onSubmit={saveMode} className="mt-3 grid gap-2 rounded-xl bg-slate-50 p-3">
          <label htmlFor={modeId} className="text-sm font-medium text-slate-800">
            Enrollment mode for {domain.name}
          </label>
          <div className="flex flex-wrap gap-2">
            <select
              id={modeId}
              value={mode}
              onChange={(event) => setMode(event.target.value)}
              aria-describedby={`${modeId}-hint`}
              className="min-w-0 flex-1 basis-48 rounded-lg border border-slate-300 bg-white py-2 pr-8 pl-2 text-sm"
            >
              {modes.map((candidate) => (
                <option key={candidate} value={candidate}>
                  {ENROLLMENT[candidate]?.label ?? candidate}
                </option>
              ))}
            </select>
            <button
              type="submit"
              aria-label={`Save mode for ${domain.name}`}
              disabled={busy || mode === domain.enrollmentMode}
              className={BUTTON_SECONDARY}
            >
              Save mode
            </button>
          </div>
          <p id={`${modeId}-hint`} className="text-xs text-slate-600">
            {ENROLLMENT[mode]?.hint} A change affects only people who sign up from now on.
          </p>
          {mode === "manual_invitation" && domain.enrollmentMode !== "manual_invitation" ? (
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                checked={deletePending}
                onChange={(event) => setDeletePending(event.target.checked)}
              />
              Delete pending invitations and suggestions
            </label>
          ) : null}
        </form>
      ) : null}
      {state ? (
        <div className="mt-2">
          <PendingNote state={state} onDismiss={() => pending.dismiss(key)} />
        </div>
      ) : null}
      <ConfirmDialog
        open={removing}
        title={`Remove ${domain.name}?`}
        confirmLabel="Remove domain"
        returnFocus={removeButton}
        onClose={() => setRemoving(false)}
        onConfirm={() => {
          setRemoving(false);
          remove();
        }}
      >
        <p>People with an address there no longer join automatically. Those already in the team stay.</p>
      </ConfirmDialog>
    </li>
  );
}

/**
 * Verifying a domain: Clerk emails a code to an address at the domain
 * (`prepareAffiliationVerification`), and the code typed back (`attemptAffiliationVerification`)
 * proves the viewer can read mail there. The domain shows verified once the webhook lands.
 */
function VerifyForm({
  domain,
  organization,
  pending,
}: {
  domain: Domain;
  organization: ClerkOrganization;
  pending: Pending;
}) {
  const emailId = useId();
  const codeId = useId();
  const [email, setEmail] = useState("");
  const [code, setCode] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);

  async function send(event: FormEvent) {
    event.preventDefault();
    const address = email.trim().toLowerCase();
    if (!address.endsWith(`@${domain.name}`) || address.length <= domain.name.length + 1) {
      setProblem(`Enter an email address at ${domain.name}, like you@${domain.name}.`);
      return;
    }
    setProblem(null);
    setSending(true);
    try {
      const resource = await organization.getDomain({ domainId: domain.domainId });
      await resource.prepareAffiliationVerification({ affiliationEmailAddress: address });
      setSentTo(address);
      setTimeout(() => codeInput.current?.focus(), 0);
    } catch (error) {
      setProblem(clerkMessage(error));
    } finally {
      setSending(false);
    }
  }

  function verify(event: FormEvent) {
    event.preventDefault();
    const typed = code.trim();
    if (!/^\d{6}$/.test(typed)) {
      setProblem("Enter the 6-digit code from the email.");
      return;
    }
    setProblem(null);
    void pending.run(
      domain.domainId,
      `Verifying ${domain.name}`,
      async () =>
        await (
          await organization.getDomain({ domainId: domain.domainId })
        ).attemptAffiliationVerification({
          code: typed,
        }),
      (now) =>
        now.some((candidate) => candidate.domainId === domain.domainId && candidate.verificationStatus === "verified"),
    );
  }

  return (
    <div className="mt-3 grid gap-3 rounded-xl bg-slate-50 p-3">
      <form onSubmit={(event) => void send(event)} noValidate className="grid gap-1.5">
        <label htmlFor={emailId} className="text-sm font-medium text-slate-800">
          Your email address at {domain.name}
        </label>
        <div className="flex flex-wrap gap-2">
          <input
            id={emailId}
            type="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            placeholder={`you@${domain.name}`}
            autoComplete="email"
            className={`${INPUT} flex-1 basis-48`}
          />
          <button type="submit" disabled={sending} className={BUTTON_SECONDARY}>
            {sentTo ? "Send a new code" : "Send code"}
          </button>
        </div>
      </form>
      {sentTo ? (
        <form onSubmit={verify} noValidate className="grid gap-1.5">
          <label htmlFor={codeId} className="text-sm font-medium text-slate-800">
            Code sent to {sentTo}
          </label>
          <div className="flex flex-wrap gap-2">
            <input
              ref={codeInput}
              id={codeId}
              value={code}
              onChange={(event) => setCode(event.target.value)}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              className={`${INPUT.replace("w-full", "w-36")} font-mono tracking-widest`}
            />
            <button type="submit" className={BUTTON_PRIMARY}>
              Verify
            </button>
          </div>
        </form>
      ) : null}
      {problem ? (
        <p role="alert" className="text-sm font-medium text-red-700">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
