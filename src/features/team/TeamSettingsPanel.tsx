import { useOrganization } from "@clerk/react";
import { useId, useRef, useState, type ChangeEvent, type FormEvent } from "react";
import { api } from "../../../convex/_generated/api";
import { Avatar } from "../../components/Avatar";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { FormField } from "../../components/FormField";
import { Panel } from "../../components/Panel";
import { useQuery } from "../../lib/convex";
import { announceDeparture } from "./departure";
import { PendingNote } from "./PendingNote";
import { usePendingActions } from "./usePendingActions";
import { useOrganizationSettings } from "./useOrganizationSettings";

type TeamDetails = {
  organizationId: string;
  name: string;
  slug: string | null;
  imageUrl: string | null;
  viewer: { userId: string; canManageProfile: boolean; canDeleteTeam: boolean };
};

/** What Clerk's logo uploader accepts (`@clerk/ui` AvatarUploader): these types, up to 10 MB. */
export const LOGO_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
export const LOGO_MAX_BYTES = 10 * 1000 * 1000;
/** Clerk's slugs: lower-case letters and digits, words joined by single hyphens. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const NAME_MAX = 256;

const INPUT =
  "block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm focus-visible:border-brand-500 focus-visible:ring-2 focus-visible:ring-brand-500/40 focus-visible:outline-none";
const BUTTON_PRIMARY =
  "rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2 focus-visible:outline-none disabled:opacity-60";
const BUTTON_SECONDARY =
  "rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:outline-none disabled:opacity-50";

/** What is wrong with a name or slug as typed, else null. */
export function profileProblems(name: string, slug: string | null): { name?: string; slug?: string } {
  const problems: { name?: string; slug?: string } = {};
  if (name.trim() === "") problems.name = "Enter the team's name.";
  else if ([...name.trim()].length > NAME_MAX) problems.name = `Keep the name to ${NAME_MAX} characters.`;
  if (slug !== null && !SLUG.test(slug))
    problems.slug = "Use lower-case letters, digits and single hyphens, like design-team.";
  return problems;
}

/**
 * The team's settings, as Clerk's `<OrganizationProfile />` offers them: rename, change the slug
 * (unless the instance turned slugs off) and the logo for members who may manage the team's
 * profile; delete the team for those who may, where the instance lets admins delete (typing the
 * name to confirm). Everything goes through Clerk's SDK and stays "Saving…" until the webhook
 * lands and Roster shows it.
 */
export function TeamSettingsPanel({ team }: { team: TeamDetails }) {
  const { organization } = useOrganization();
  const settings = useOrganizationSettings();
  const mine = useQuery(api.organizations.listMine);
  const pending = usePendingActions(team);
  const leaving = usePendingActions(mine);
  const nameId = useId();
  const slugId = useId();
  const logoId = useId();
  const confirmId = useId();
  const [name, setName] = useState(team.name);
  const [slug, setSlug] = useState(team.slug ?? "");
  const [problems, setProblems] = useState<{ name?: string; slug?: string; logo?: string }>({});
  const [deleting, setDeleting] = useState(false);
  const [typed, setTyped] = useState("");
  const deleteButton = useRef<HTMLButtonElement>(null);
  const canDelete = team.viewer.canDeleteTeam && organization?.adminDeleteEnabled === true;
  // Clerk gives every team a default picture: only an uploaded logo can be removed (`hasImage`).
  const hasLogo = organization?.hasImage === true;

  function save(event: FormEvent) {
    event.preventDefault();
    if (!organization) return;
    const wantedName = name.trim();
    const wantedSlug = settings.slugDisabled ? null : slug.trim().toLowerCase();
    const found = profileProblems(wantedName, wantedSlug);
    setProblems(found);
    if (found.name || found.slug) return;
    // Nothing changed: nothing to ask Clerk.
    if (wantedName === team.name && (wantedSlug === null || wantedSlug === team.slug)) return;
    const params = wantedSlug === null ? { name: wantedName } : { name: wantedName, slug: wantedSlug };
    void pending.run(
      "profile",
      wantedName !== team.name ? `Renaming the team to ${wantedName}` : "Changing the team's slug",
      () => organization.update(params),
      (now) => now.name === wantedName && (wantedSlug === null || now.slug === wantedSlug),
    );
  }

  function changeLogo(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file || !organization) return;
    if (!LOGO_TYPES.includes(file.type)) {
      setProblems({ logo: "Choose a PNG, JPEG, GIF or WebP picture." });
      return;
    }
    if (file.size > LOGO_MAX_BYTES) {
      setProblems({ logo: "Choose a picture of 10 MB or less." });
      return;
    }
    setProblems({});
    const before = team.imageUrl;
    void pending.run(
      "logo",
      "Changing the logo",
      () => organization.setLogo({ file }),
      (now) => now.imageUrl !== before,
    );
  }

  function removeLogo() {
    if (!organization) return;
    const before = team.imageUrl;
    void pending.run(
      "logo",
      "Removing the logo",
      () => organization.setLogo({ file: null }),
      (now) => now.imageUrl !== before,
    );
  }

  function destroy() {
    if (!organization) return;
    const { organizationId, name: teamName } = team;
    void leaving.run(
      "delete",
      `Deleting ${teamName}`,
      async () => {
        await organization.destroy();
        announceDeparture({ userId: team.viewer.userId, organizationId, name: teamName, how: "deleted" });
      },
      (now) => now !== undefined && !now.some((candidate) => candidate.organizationId === organizationId),
    );
  }

  const profileState = pending.stateOf("profile");
  const logoState = pending.stateOf("logo");
  const deleteState = leaving.stateOf("delete");

  return (
    <div className="space-y-6">
      {team.viewer.canManageProfile ? (
        <Panel title="Team profile" description="Its name, address and logo, as Clerk keeps them.">
          <form onSubmit={save} noValidate className="grid gap-4">
            <FormField id={nameId} label="Team name" error={problems.name}>
              {(describedBy) => (
                <input
                  id={nameId}
                  value={name}
                  onChange={(event) => setName(event.target.value)}
                  aria-invalid={problems.name ? true : undefined}
                  aria-describedby={describedBy || undefined}
                  className={INPUT}
                />
              )}
            </FormField>
            {settings.slugDisabled ? null : (
              <FormField id={slugId} label="Slug" hint="Used in links to the team." error={problems.slug}>
                {(describedBy) => (
                  <input
                    id={slugId}
                    value={slug}
                    onChange={(event) => setSlug(event.target.value)}
                    spellCheck={false}
                    autoCapitalize="none"
                    aria-invalid={problems.slug ? true : undefined}
                    aria-describedby={describedBy || undefined}
                    className={`${INPUT} font-mono`}
                  />
                )}
              </FormField>
            )}
            <div className="flex flex-wrap items-center gap-3">
              <button type="submit" disabled={profileState?.phase === "saving"} className={BUTTON_PRIMARY}>
                Save
              </button>
            </div>
            <PendingNote state={profileState} onDismiss={() => pending.dismiss("profile")} />
          </form>
          <div className="mt-6 border-t border-slate-100 pt-5">
            <h3 className="text-sm font-medium text-slate-800">Logo</h3>
            <div className="mt-2 flex flex-wrap items-center gap-4">
              <Avatar name={team.name} imageUrl={team.imageUrl} size="md" />
              <label htmlFor={logoId} className={`${BUTTON_SECONDARY} cursor-pointer has-[:focus-visible]:ring-2`}>
                {hasLogo ? "Change logo" : "Upload a logo"}
                <input
                  id={logoId}
                  type="file"
                  accept={LOGO_TYPES.join(",")}
                  onChange={changeLogo}
                  disabled={logoState?.phase === "saving"}
                  className="sr-only"
                />
              </label>
              {hasLogo ? (
                <button
                  type="button"
                  onClick={removeLogo}
                  disabled={logoState?.phase === "saving"}
                  className={BUTTON_SECONDARY}
                >
                  Remove logo
                </button>
              ) : null}
            </div>
            <p className="mt-1 text-xs text-slate-500">PNG, JPEG, GIF or WebP, up to 10 MB.</p>
            {problems.logo ? (
              <p role="alert" className="mt-1 text-sm font-medium text-red-700">
                {problems.logo}
              </p>
            ) : null}
            <div className="mt-2">
              <PendingNote state={logoState} onDismiss={() => pending.dismiss("logo")} />
            </div>
          </div>
        </Panel>
      ) : null}
      {team.viewer.canDeleteTeam ? (
        <Panel title="Delete the team" description="For good: its members, invitations and domains go with it.">
          {canDelete ? (
            <>
              <button
                ref={deleteButton}
                id="delete-team-button"
                type="button"
                onClick={() => setDeleting(true)}
                disabled={deleteState?.phase === "saving"}
                className="rounded-lg border border-red-300 bg-white px-4 py-2 text-sm font-semibold text-red-700 shadow-sm hover:bg-red-50 focus-visible:ring-2 focus-visible:ring-red-500 focus-visible:outline-none disabled:opacity-50"
              >
                Delete {team.name}…
              </button>
              <div className="mt-2">
                <PendingNote state={deleteState} onDismiss={() => leaving.dismiss("delete")} />
              </div>
            </>
          ) : (
            <p className="text-sm text-slate-600">
              This app does not let admins delete teams (Clerk&rsquo;s dashboard, Organizations settings, turns it on).
            </p>
          )}
        </Panel>
      ) : null}
      <ConfirmDialog
        open={deleting}
        title={`Delete ${team.name}?`}
        confirmLabel="Delete team"
        returnFocus={deleteButton}
        confirmDisabled={typed.trim() !== team.name.trim()}
        onClose={() => {
          setDeleting(false);
          setTyped("");
        }}
        onConfirm={() => {
          setDeleting(false);
          setTyped("");
          destroy();
        }}
      >
        <p>Everyone in it loses access at once, and it cannot be undone.</p>
        <label htmlFor={confirmId} className="block font-medium text-slate-800">
          Type <span className="font-mono">{team.name}</span> to confirm
        </label>
        <input
          id={confirmId}
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          autoComplete="off"
          className={INPUT}
        />
      </ConfirmDialog>
    </div>
  );
}
