import { useClerk } from "@clerk/react";
import { Avatar } from "../../components/Avatar";
import { SyncBadge } from "../../components/SyncBadge";

export type ClerkProfileFields = {
  name: string;
  email: string | null;
  phone: string | null;
  username: string | null;
  imageUrl: string | null;
  syncedFromClerk: boolean;
};

/** The fields Clerk owns (name, picture, email, username), live, with a way to edit them in Clerk. */
export function ProfileCard({ profile }: { profile: ClerkProfileFields }) {
  const clerk = useClerk();
  const rows: Array<[string, string | null]> = [
    ["Email", profile.email],
    ["Username", profile.username === null ? null : `@${profile.username}`],
    ["Phone", profile.phone],
  ];
  return (
    <section
      aria-labelledby="profile-name"
      className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm shadow-slate-200/50"
    >
      <div className="flex flex-wrap items-center gap-4">
        <Avatar name={profile.name} imageUrl={profile.imageUrl} size="lg" />
        <div className="min-w-0 flex-1 basis-48">
          <h2 id="profile-name" className="text-xl font-semibold break-words text-slate-900">
            {profile.name}
          </h2>
          <div className="mt-1.5">
            <SyncBadge synced={profile.syncedFromClerk} />
          </div>
        </div>
        <button
          type="button"
          onClick={() => clerk.openUserProfile()}
          className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50"
        >
          Edit in Clerk
        </button>
      </div>
      {profile.syncedFromClerk ? null : (
        <p className="mt-4 rounded-lg bg-amber-50/70 px-3 py-2 text-sm text-amber-900">
          Your name and email come from your sign-in for now. The rest fills in by itself as soon as Clerk&rsquo;s{" "}
          <code className="font-mono text-xs">user.created</code> event reaches Roster.
        </p>
      )}
      <dl className="mt-5 grid gap-4 border-t border-slate-100 pt-4 sm:grid-cols-3">
        {rows.map(([label, value]) => (
          <div key={label} className="min-w-0">
            <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
            <dd className={`mt-1 truncate text-sm ${value === null ? "text-slate-400" : "text-slate-800"}`}>
              {value ?? "Not set"}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
