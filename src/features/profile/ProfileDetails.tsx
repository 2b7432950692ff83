import { useEffect, useState } from "react";
import { api } from "../../../convex/_generated/api";
import { useQuery } from "../../lib/convex";
import { EmptyState } from "../../components/EmptyState";
import { LoadingState } from "../../components/LoadingState";
import { ProfileCard } from "./ProfileCard";
import { ProfileForm } from "./ProfileForm";

/** `users.me`, live: loading, signed out/deleted, or the card and the form. */
export function ProfileDetails() {
  const me = useQuery(api.users.me);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!saved) return;
    const timer = setTimeout(() => setSaved(false), 5_000);
    return () => clearTimeout(timer);
  }, [saved]);

  if (me === undefined)
    return (
      <div className="rounded-2xl border border-slate-200 bg-white p-5">
        <LoadingState label="Loading your profile…" rows={2} />
      </div>
    );
  if (me === null)
    return (
      <EmptyState title="No profile to show">
        You are signed out, or this account was deleted. Sign in again to see your profile.
      </EmptyState>
    );

  return (
    <div className="space-y-6">
      <ProfileCard profile={me} />
      {/* A new key when the stored fields change (after a save) starts the form from them again. */}
      <ProfileForm
        key={[me.bio, me.country, me.birthday].join("\u0000")}
        initial={{ bio: me.bio, country: me.country, birthday: me.birthday }}
        onSaved={() => setSaved(true)}
      />
      <p role="status" aria-live="polite" className="min-h-5 text-right text-sm font-medium text-emerald-700">
        {saved ? "Saved." : ""}
      </p>
    </div>
  );
}
