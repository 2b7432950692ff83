import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { WEBHOOK_PATH } from "../scripts/lib/deployment";
import {
  MAX_MEMBERS,
  planEvents,
  SCENARIOS,
  signEvents,
  type PlannedEvent,
  type Scenario,
  type SenderArgs,
} from "../scripts/webhook/plan";
import { sendAll, type Delivery } from "../scripts/webhook/send";
import { api } from "../convex/_generated/api";
import { CLERK_EVENT_TYPES, organizationInvitationEvent, userEvent, type ClerkEnvelope } from "../test/clerkEvents";
import {
  clerkState,
  identityOf,
  setInstanceSettings,
  simulatedInstanceSettings,
  useClerk,
  useOrganization,
  useUser,
} from "../test/react/clerkMock";
import type { SimulatedClerk } from "../test/react/simulatedClerkBackend";
import type { TestConvexClient } from "../test/react/TestConvexClient";
import type { WorkerBackend } from "./backend/workerBackend";
import { PLAYGROUND_ISSUER, PLAYGROUND_SIGNING_SECRET } from "./config";
import { askToJoin } from "./clerkBackend";
import { withoutRemoteImages } from "./localImages";
import { membershipEventFor, personById, TEAMS, userSnapshot, type Person, type Team } from "./seed";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
function randomTail(length: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(length)), (byte) => BASE62[byte % 62]).join("");
}

/** What "Clerk" has changed about each person since the sample world (renames), so later events carry it. */
const clerkSide = new Map<string, { first_name: string; last_name: string }>();
let joined = 0;

const SCENARIO_LABELS: Record<Scenario, string> = {
  "out-of-order": "Out of order: the newer snapshot first",
  "delete-then-late-update": "Delete, then a late update",
  team: "A team of N members",
};

type Sent = { id: number; deliveries: Delivery[] };

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="border-t border-slate-200 px-4 py-4">
      <h3 className="text-sm font-semibold tracking-wide text-slate-500 uppercase">{title}</h3>
      <div className="mt-3 grid gap-3">{children}</div>
    </section>
  );
}

const BUTTON =
  "rounded-lg bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-50";
const INPUT = "w-full rounded-lg border border-slate-300 px-2 py-1.5 text-sm";

/**
 * The Clerk events drawer: sends Clerk's webhooks, signed as Svix signs them, through the real
 * `POST /clerk-webhook` route of the in-browser deployment — about the signed-in person and their
 * active team, or any event type and scenario `npm run webhook` knows (scripts/webhook/plan.ts).
 */
export function EventsDrawer({
  backend,
  client,
  clerk,
  onClose,
}: {
  backend: WorkerBackend;
  client: TestConvexClient;
  /** The simulated Clerk behind the team page (its emailed codes show here). */
  clerk?: SimulatedClerk;
  onClose: () => void;
}) {
  const { user } = useUser();
  const { organization } = useOrganization();
  const [sent, setSent] = useState<Sent[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const person = user ? personById(user.id) : undefined;
  const team: Team | null = organization
    ? (TEAMS.find((candidate) => candidate.id === organization.id) ?? {
        id: organization.id,
        name: organization.name,
        slug: null,
        members: [],
      })
    : null;

  /**
   * Signs and posts what `plan` makes. Each event gets a new Svix message id, unless `svixIds` gives
   * one for its place in the plan (the same message delivered again).
   */
  async function send(plan: () => PlannedEvent[], repeat = 0, svixIds: ReadonlyArray<string | undefined> = []) {
    setProblem(null);
    setBusy(true);
    try {
      // Nothing leaves the machine: the catalog's pictures on other origins are left out (localImages.ts).
      const planned = plan().map((item) => ({ ...item, event: withoutRemoteImages(item.event) }));
      const given = [...svixIds];
      const requests = signEvents(planned, PLAYGROUND_SIGNING_SECRET, {
        signedAt: new Date(),
        newSvixId: () => given.shift() ?? `msg_${randomTail(27)}`,
        repeat,
      });
      const { deliveries } = await sendAll(
        WEBHOOK_PATH,
        requests,
        (path, init) => backend.fetch(path, init),
        () => {},
      );
      setSent((earlier) => [{ id: Date.now(), deliveries }, ...earlier].slice(0, 20));
      await client.refresh();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  const snapshotOf = (who: Person, at: number) => userSnapshot(who, at, clerkSide.get(who.id) ?? {});

  return (
    <aside
      id="clerk-events"
      aria-labelledby="clerk-events-title"
      // On a phone, a sheet over the lower 55 % of the screen: the page stays in view above it, and
      // PlaygroundApp leaves as much room under the page, so its end scrolls clear of the sheet.
      className="fixed inset-x-0 bottom-0 z-50 flex max-h-[55dvh] flex-col overflow-y-auto rounded-t-2xl border-t border-slate-200 bg-white shadow-2xl sm:inset-y-0 sm:right-0 sm:left-auto sm:max-h-none sm:w-[28rem] sm:rounded-none sm:border-t-0 sm:border-l"
    >
      <header className="sticky top-0 z-10 flex items-start gap-3 bg-white px-4 py-3 sm:static sm:py-4">
        <div>
          <h2 id="clerk-events-title" className="text-base font-bold text-slate-900 sm:text-lg">
            Clerk events
          </h2>
          <p className="hidden text-sm text-slate-600 sm:block">
            Signed like Svix signs them, posted to <code>{WEBHOOK_PATH}</code> of this tab&apos;s Convex. Every view
            updates live.
          </p>
        </div>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close Clerk events"
          className="ml-auto rounded-lg px-2 py-1 text-slate-500 hover:bg-slate-100"
        >
          ✕
        </button>
      </header>

      {person ? (
        <AboutYou person={person} team={team} busy={busy} onSend={(plan) => void send(plan)} snapshotOf={snapshotOf} />
      ) : null}

      {clerk ? <SentCodes clerk={clerk} /> : null}

      <DashboardSettings />

      {team ? <AcceptInvitation backend={backend} team={team} busy={busy} onSend={(plan) => void send(plan)} /> : null}

      {team ? <RequestToJoin team={team} busy={busy} onSend={(plan) => send(plan)} /> : null}

      <AnyEvent busy={busy} onSend={(plan, repeat) => void send(plan, repeat)} />

      <FailingEvent team={team} busy={busy} onSend={(plan, svixIds) => void send(plan, 0, svixIds)} />

      <Section title="Delivered">
        {problem !== null ? (
          <p role="alert" className="text-sm text-red-700">
            {problem}
          </p>
        ) : null}
        {sent.length === 0 ? <p className="text-sm text-slate-500">Nothing sent yet.</p> : null}
        <ol aria-label="Deliveries" className="grid gap-1 font-mono text-xs">
          {sent.flatMap(({ id, deliveries }) =>
            deliveries.map(({ request, status, outcome, error }, index) => (
              <li
                key={`${id}-${index}`}
                className={status !== null && status < 300 ? "text-slate-700" : "font-semibold text-red-700"}
              >
                {status ?? "ERR"} {outcome ?? error} · {request.type} · {request.label}
              </li>
            )),
          )}
        </ol>
      </Section>
    </aside>
  );
}

function AboutYou({
  person,
  team,
  busy,
  onSend,
  snapshotOf,
}: {
  person: Person;
  team: Team | null;
  busy: boolean;
  onSend: (plan: () => PlannedEvent[]) => void;
  snapshotOf: (who: Person, at: number) => Record<string, unknown>;
}) {
  const current = clerkSide.get(person.id) ?? { first_name: person.firstName, last_name: person.lastName };
  const [firstName, setFirstName] = useState(current.first_name);
  const [lastName, setLastName] = useState(current.last_name);
  const member = team?.members.find((candidate) => candidate.personId === person.id);
  const [role, setRole] = useState(member?.role === "org:admin" ? "org:member" : "org:admin");

  const rename = (event: FormEvent) => {
    event.preventDefault();
    clerkSide.set(person.id, { first_name: firstName, last_name: lastName });
    onSend(() => {
      const at = Date.now();
      return [
        { label: "renamed in Clerk", event: userEvent("user.updated", snapshotOf(person, at)), expected: "applied" },
      ];
    });
  };

  return (
    <Section title={`About ${person.firstName}${team ? ` and ${team.name}` : ""}`}>
      {person.seeded ? null : (
        <button
          type="button"
          className={BUTTON}
          disabled={busy}
          onClick={() =>
            onSend(() => [
              {
                label: "the sign-up's late webhook",
                event: userEvent("user.created", snapshotOf(person, Date.now())),
                expected: "applied",
              },
            ])
          }
        >
          Send user.created for {person.firstName}
        </button>
      )}
      <form onSubmit={rename} className="grid grid-cols-2 gap-2">
        <label className="text-sm">
          First name
          <input className={INPUT} value={firstName} onChange={(event) => setFirstName(event.target.value)} />
        </label>
        <label className="text-sm">
          Last name
          <input className={INPUT} value={lastName} onChange={(event) => setLastName(event.target.value)} />
        </label>
        <button type="submit" className={`${BUTTON} col-span-2`} disabled={busy}>
          Send user.updated (rename in Clerk)
        </button>
      </form>
      {team ? (
        <>
          <div className="grid gap-2">
            <label className="text-sm">
              Role in {team.name}
              <select className={INPUT} value={role} onChange={(event) => setRole(event.target.value)}>
                <option value="org:admin">Admin</option>
                <option value="org:member">Member</option>
              </select>
            </label>
            <button
              type="button"
              className={BUTTON}
              disabled={busy}
              onClick={() =>
                onSend(() => {
                  const at = Date.now();
                  return [
                    {
                      label: `role ${role}`,
                      event: membershipEventFor(
                        "organizationMembership.updated",
                        team,
                        person,
                        role,
                        at,
                        snapshotOf(person, at),
                      ),
                      expected: "applied",
                    },
                  ];
                })
              }
            >
              Send organizationMembership.updated
            </button>
          </div>
          <button
            type="button"
            className={BUTTON}
            disabled={busy}
            onClick={() =>
              onSend(() => {
                joined += 1;
                const at = Date.now();
                const newcomer: Person = {
                  id: `user_2pgjoin${randomTail(20)}`,
                  firstName: "Newcomer",
                  lastName: String(joined),
                  email: `newcomer${joined}@example.com`,
                  username: null,
                  rosterAdmin: false,
                  note: "",
                  seeded: true,
                };
                return [
                  {
                    label: "a newcomer signs up",
                    event: userEvent("user.created", userSnapshot(newcomer, at)),
                    expected: "applied",
                  },
                  {
                    label: `the newcomer joins ${team.name}`,
                    event: membershipEventFor("organizationMembership.created", team, newcomer, "org:member", at),
                    expected: "applied",
                  },
                ];
              })
            }
          >
            Send: a newcomer joins {team.name}
          </button>
          <button
            type="button"
            className={BUTTON}
            disabled={busy}
            onClick={() =>
              onSend(() => {
                const at = Date.now();
                return [
                  {
                    label: `${person.firstName} leaves ${team.name}`,
                    event: membershipEventFor(
                      "organizationMembership.deleted",
                      team,
                      person,
                      member?.role ?? "org:member",
                      at,
                      snapshotOf(person, at),
                    ),
                    expected: "applied",
                  },
                ];
              })
            }
          >
            Send organizationMembership.deleted ({person.firstName} leaves)
          </button>
        </>
      ) : null}
    </Section>
  );
}

let asked = 0;

/**
 * "Someone asks to join": a newcomer signs up (`user.created`, a webhook), then asks to join the
 * active team, which Clerk keeps to itself (no webhook for requests): the team page's Requests tab
 * reads it through Clerk's SDK.
 */
function RequestToJoin({
  team,
  busy,
  onSend,
}: {
  team: Team;
  busy: boolean;
  onSend: (plan: () => PlannedEvent[]) => Promise<void>;
}) {
  const [note, setNote] = useState<string | null>(null);
  async function ask() {
    asked += 1;
    const at = Date.now();
    const newcomer: Person = {
      id: `user_2pgask${randomTail(21)}`,
      firstName: "Applicant",
      lastName: String(asked),
      email: `applicant${asked}@example.com`,
      username: null,
      rosterAdmin: false,
      note: "",
      seeded: true,
    };
    setNote(null);
    await onSend(() => [
      {
        label: "an applicant signs up",
        event: userEvent("user.created", userSnapshot(newcomer, at)),
        expected: "applied",
      },
    ]);
    setNote(
      askToJoin(team.id, newcomer)
        ? `Applicant ${asked} asked to join ${team.name}: Clerk keeps it (no webhook). It shows under Requests when the team page reads Clerk again (Refresh, or coming back to the window).`
        : "The simulated Clerk is not ready yet.",
    );
  }
  return (
    <Section title={`Requests to join ${team.name}`}>
      <button type="button" className={BUTTON} disabled={busy} onClick={() => void ask()}>
        Someone asks to join {team.name}
      </button>
      {note !== null ? (
        <p role="status" className="text-sm text-slate-700">
          {note}
        </p>
      ) : null}
    </Section>
  );
}

type PendingInvitation = { invitationId: string; emailAddress: string | null; role: string | null };

/**
 * "An invitee accepts": the active team's pending invitations (as its admin sees them), each with a
 * button that plays what Clerk sends when the invitee signs up and accepts — `user.created`,
 * `organizationInvitation.accepted`, `organizationMembership.created`.
 */
/**
 * A few of the settings Clerk's dashboard sets for the instance (Organizations settings), which the
 * team page follows as Clerk's SDK exposes them and the simulated Clerk enforces
 * (playground/clerkRules.ts): try the page with each turned off.
 */
function DashboardSettings() {
  useClerk(); // re-renders when the settings change
  const settings = simulatedInstanceSettings();
  const toggles = [
    { key: "adminDeleteEnabled", label: "Admins may delete their team", on: settings.adminDeleteEnabled },
    { key: "createOrganizationEnabled", label: "Users may create teams", on: settings.createOrganizationEnabled },
    { key: "slugDisabled", label: "Teams have slugs", on: !settings.slugDisabled },
    { key: "domainsEnabled", label: "Verified domains", on: settings.domainsEnabled },
  ] as const;
  return (
    <Section title="Clerk's dashboard settings">
      {toggles.map((toggle) => (
        <label key={toggle.key} className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            checked={toggle.on}
            onChange={(event) =>
              setInstanceSettings({
                [toggle.key]: toggle.key === "slugDisabled" ? !event.target.checked : event.target.checked,
              })
            }
          />
          {toggle.label}
        </label>
      ))}
    </Section>
  );
}

/**
 * The verification codes Clerk emailed while verifying a team's domain (`prepareAffiliationVerification`):
 * with a real Clerk they arrive in the inbox at that domain; here, nothing leaves the machine, so
 * the drawer shows them, newest first, to type into the team page's Verify form.
 */
function SentCodes({ clerk }: { clerk: SimulatedClerk }) {
  const [, setVersion] = useState(0);
  useEffect(() => clerk.onCodeSent(() => setVersion((version) => version + 1)), [clerk]);
  const codes = [...clerk.sentCodes()].reverse();
  return (
    <Section title="Emails Clerk sent">
      {codes.length === 0 ? (
        <p className="text-sm text-slate-600">
          None yet. Verifying a domain on the team page (Domains) sends a code to an address there; it shows here.
        </p>
      ) : (
        <ul aria-label="Domain verification codes" className="grid gap-2">
          {codes.map((sent) => (
            <li key={`${sent.at}-${sent.code}`} className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-700">
              Code <strong className="font-mono text-base tracking-widest text-slate-900">{sent.code}</strong> to verify{" "}
              <span className="font-mono">{sent.domain}</span>, sent to{" "}
              <span className="[overflow-wrap:anywhere]">{sent.emailAddress}</span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function AcceptInvitation({
  backend,
  team,
  busy,
  onSend,
}: {
  backend: WorkerBackend;
  team: Team;
  busy: boolean;
  onSend: (plan: () => PlannedEvent[]) => void;
}) {
  const [invitations, setInvitations] = useState<PendingInvitation[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function lookUp() {
    setProblem(null);
    const { user } = clerkState();
    if (user === null) return;
    try {
      const found = (await backend
        .withIdentity(identityOf(user, PLAYGROUND_ISSUER))
        .query(api.organizations.invitations, { organizationId: team.id })) as PendingInvitation[];
      setInvitations(found);
    } catch {
      setProblem(`Only those who may manage ${team.name}'s members see its invitations.`);
    }
  }

  function accept(invitation: PendingInvitation) {
    const email = invitation.emailAddress ?? `invitee-${randomTail(6).toLowerCase()}@example.com`;
    const local = email.split("@")[0] ?? "invitee";
    const role = invitation.role ?? "org:member";
    onSend(() => {
      const at = Date.now();
      const invitee: Person = {
        id: `user_2pginv${randomTail(20)}`,
        firstName: local.charAt(0).toUpperCase() + local.slice(1),
        lastName: "Invitee",
        email,
        username: null,
        rosterAdmin: false,
        note: "",
        seeded: true,
      };
      return [
        {
          label: "the invitee signs up",
          event: userEvent("user.created", userSnapshot(invitee, at)),
          expected: "applied",
        },
        {
          label: "the invitee accepts",
          event: organizationInvitationEvent("organizationInvitation.accepted", {
            id: invitation.invitationId,
            email_address: email,
            role,
            organization_id: team.id,
            public_organization_data: {
              id: team.id,
              name: team.name,
              slug: team.slug,
              has_image: false,
              image_url: null,
            },
            user_id: invitee.id,
            created_at: at - 60_000,
            updated_at: at,
          }),
          expected: "applied",
        },
        {
          label: `the invitee joins ${team.name}`,
          event: membershipEventFor("organizationMembership.created", team, invitee, role, at),
          expected: "applied",
        },
      ];
    });
    setInvitations(
      (current) => current?.filter((candidate) => candidate.invitationId !== invitation.invitationId) ?? null,
    );
  }

  return (
    <Section title={`Invitations to ${team.name}`}>
      <button type="button" className={BUTTON} disabled={busy} onClick={() => void lookUp()}>
        Show pending invitations
      </button>
      {problem !== null ? <p className="text-sm text-red-700">{problem}</p> : null}
      {invitations !== null && invitations.length === 0 ? (
        <p className="text-sm text-slate-600">No pending invitations.</p>
      ) : null}
      {invitations?.map((invitation) => (
        <button
          key={invitation.invitationId}
          type="button"
          className={BUTTON}
          disabled={busy}
          onClick={() => accept(invitation)}
        >
          {invitation.emailAddress ?? "The invitee"} accepts
        </button>
      ))}
    </Section>
  );
}

function AnyEvent({ busy, onSend }: { busy: boolean; onSend: (plan: () => PlannedEvent[], repeat: number) => void }) {
  const [type, setType] = useState<string>("user.updated");
  const [scenario, setScenario] = useState<Scenario | "">("");
  const [members, setMembers] = useState(5);
  const [duplicate, setDuplicate] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const args: SenderArgs = {
      type: scenario === "team" ? null : type,
      sets: [],
      file: null,
      repeat: duplicate ? 1 : 0,
      scenario: scenario === "" ? null : scenario,
      members,
      url: null,
      dryRun: false,
      help: false,
    };
    // A UsageError (say, a scenario for a family without deletes) shows as the drawer's alert.
    onSend(() => planEvents(args, { now: Date.now(), newTag: () => `2pg${randomTail(24)}` }), args.repeat);
  };

  return (
    <Section title="Any Clerk event">
      <form onSubmit={submit} className="grid gap-2">
        <label className="text-sm">
          Event type (the catalog&apos;s sample, happening now)
          <select
            className={INPUT}
            value={type}
            disabled={scenario === "team"}
            onChange={(event) => setType(event.target.value)}
          >
            {CLERK_EVENT_TYPES.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          Scenario
          <select
            className={INPUT}
            value={scenario}
            onChange={(event) => setScenario(event.target.value as Scenario | "")}
          >
            <option value="">One event</option>
            {SCENARIOS.map((name) => (
              <option key={name} value={name}>
                {SCENARIO_LABELS[name]}
              </option>
            ))}
          </select>
        </label>
        {scenario === "team" ? (
          <label className="text-sm">
            Members
            <input
              type="number"
              min={1}
              max={MAX_MEMBERS}
              className={INPUT}
              value={members}
              onChange={(event) => setMembers(Math.max(1, Math.min(MAX_MEMBERS, Number(event.target.value) || 1)))}
            />
          </label>
        ) : null}
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={duplicate} onChange={(event) => setDuplicate(event.target.checked)} />
          Deliver twice (same svix-id: a duplicate delivery)
        </label>
        <button type="submit" className={BUTTON} disabled={busy}>
          Send
        </button>
      </form>
    </Section>
  );
}

type FailedEvent = { svixId: string; corrected: ClerkEnvelope; teamName: string };
/** The failing event last sent, until its corrected delivery is sent. */
let lastFailing: FailedEvent | null = null;

/**
 * "An event that fails to apply": a membership whose payload Roster refuses (no user id), so the
 * admin page's failed events and "Retry failed events" can be tried. Roster keeps it as failed
 * and answers 500 (Svix would retry it). A retry re-applies the kept payload with the code deployed,
 * so it fails again until a fix is deployed; the code cannot change here, so the second button plays
 * the fixed outcome: the same Svix message, corrected, applies and its row turns applied.
 */
function FailingEvent({
  team,
  busy,
  onSend,
}: {
  team: Team | null;
  busy: boolean;
  onSend: (plan: () => PlannedEvent[], svixIds: ReadonlyArray<string | undefined>) => void;
}) {
  // Kept outside the drawer, so it can be closed to try "Retry failed events" and opened again.
  const [failed, setFailedState] = useState(lastFailing);
  const setFailed = (next: FailedEvent | null) => {
    lastFailing = next;
    setFailedState(next);
  };
  const target = team ?? TEAMS[0]!;

  function sendFailing() {
    const at = Date.now();
    const svixId = `msg_failing${randomTail(20)}`;
    const newcomer: Person = {
      id: `user_2pgfail${randomTail(20)}`,
      firstName: "Pat",
      lastName: "Refused",
      email: `pat.${randomTail(6).toLowerCase()}@example.com`,
      username: null,
      rosterAdmin: false,
      note: "",
      seeded: true,
    };
    const corrected = membershipEventFor("organizationMembership.created", target, newcomer, "org:member", at);
    const data = corrected.data as { public_user_data: Record<string, unknown> };
    const { user_id: _missing, ...withoutUserId } = data.public_user_data;
    const broken = { ...corrected, data: { ...corrected.data, public_user_data: withoutUserId } };
    setFailed({ svixId, corrected, teamName: target.name });
    onSend(
      () => [
        { label: "Pat signs up", event: userEvent("user.created", userSnapshot(newcomer, at)), expected: "applied" },
        { label: "no public_user_data.user_id: Roster refuses it", event: broken, expected: "failed" },
      ],
      [undefined, svixId],
    );
  }

  return (
    <Section title="An event that fails to apply">
      <p className="text-sm text-slate-600">
        A membership in {target.name} without its user id: Roster refuses it, keeps it as failed and answers 500, so
        Svix would retry it. Admin activity then shows it, with <strong>Retry failed events</strong>.
      </p>
      <button type="button" className={BUTTON} disabled={busy} onClick={sendFailing}>
        Send an event that fails to apply
      </button>
      {failed ? (
        <>
          <p className="text-sm text-slate-600">
            A retry applies the kept payload with the code deployed, so it fails again until a fix is deployed. Here the
            code cannot change: send the same message (same svix-id) corrected, as a fixed Roster would read it.
          </p>
          <button
            type="button"
            className={BUTTON}
            disabled={busy}
            onClick={() => {
              const { svixId, corrected, teamName } = failed;
              setFailed(null);
              onSend(
                () => [{ label: `corrected: Pat joins ${teamName}`, event: corrected, expected: "applied" }],
                [svixId],
              );
            }}
          >
            Send it again, corrected
          </button>
        </>
      ) : null}
    </Section>
  );
}
