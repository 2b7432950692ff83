import { useClerk } from "@clerk/react";
import { Avatar } from "../../components/Avatar";
import { TruncatedText } from "../../components/TruncatedText";

export type ClerkProfileFields = {
  name: string;
  email: string | null;
  phone: string | null;
  username: string | null;
  imageUrl: string | null;
  syncedFromClerk: boolean;
};

/**
 * The account's fields (name, picture, email, username), live, with "Manage account" (Clerk's user
 * profile). Until the account is fully set up in Roster, a quiet note says so.
 */
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
          {profile.syncedFromClerk ? null : (
            <p role="status" className="mt-1.5 flex items-center gap-1.5 text-sm text-slate-600">
              <span aria-hidden="true" className="size-1.5 animate-pulse rounded-full bg-brand-500" />
              Finishing setting up your profile…
            </p>
          )}
        </div>
        <button
          type="button"
          onClick={() => clerk.openUserProfile()}
          className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2 focus-visible:outline-none"
        >
          Manage account
        </button>
      </div>
      <dl className="mt-5 grid gap-4 border-t border-slate-100 pt-4 sm:grid-cols-3">
        {rows.map(([label, value]) => (
          <div key={label} className="min-w-0">
            <dt className="text-xs font-medium tracking-wide text-slate-600 uppercase">{label}</dt>
            <dd className={`mt-1 flex text-sm ${value === null ? "text-slate-600 italic" : "text-slate-800"}`}>
              <TruncatedText text={value ?? "Not set"} />
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
