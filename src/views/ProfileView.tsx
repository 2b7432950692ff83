import { useMutation, useQuery } from "convex/react";
import { ConvexError } from "convex/values";
import { useState, type FormEvent } from "react";
import { api } from "../../convex/_generated/api";

type FieldErrors = Partial<Record<"bio" | "country" | "birthday" | "form", string>>;

/** The signed-in user's profile: Clerk's fields, and Roster's own fields to edit. */
export function ProfileView() {
  const me = useQuery(api.users.me);
  const updateProfile = useMutation(api.users.updateProfile);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);

  if (me === undefined)
    return (
      <p className="loading" role="status">
        Loading your profile…
      </p>
    );
  if (me === null) return <p>You are signed out.</p>;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === "string" ? value : "";
    };
    setErrors({});
    setSaved(false);
    try {
      await updateProfile({
        bio: text("bio"),
        country: text("country"),
        birthday: text("birthday"),
      });
      setSaved(true);
    } catch (error) {
      const data: unknown = error instanceof ConvexError ? error.data : null;
      if (data && typeof data === "object" && "field" in data && "message" in data) {
        setErrors({ [String(data.field)]: String(data.message) });
      } else {
        setErrors({ form: "Saving failed. Try again in a moment." });
      }
    }
  }

  return (
    <main className="profile">
      <section aria-labelledby="profile-name">
        {me.imageUrl ? <img src={me.imageUrl} alt="" width={64} height={64} className="avatar" /> : null}
        <h1 id="profile-name">{me.name}</h1>
        <p>{me.email ?? me.phone ?? me.username}</p>
        {me.syncedFromClerk ? null : <p role="status">Syncing from Clerk…</p>}
      </section>
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <label>
          Bio
          <textarea
            name="bio"
            defaultValue={me.bio ?? ""}
            maxLength={500}
            aria-invalid={errors.bio ? true : undefined}
          />
        </label>
        {errors.bio ? <p className="error">{errors.bio}</p> : null}
        <label>
          Country (ISO code)
          <input name="country" defaultValue={me.country ?? ""} aria-invalid={errors.country ? true : undefined} />
        </label>
        {errors.country ? <p className="error">{errors.country}</p> : null}
        <label>
          Birthday
          <input
            name="birthday"
            type="date"
            defaultValue={me.birthday ?? ""}
            aria-invalid={errors.birthday ? true : undefined}
          />
        </label>
        {errors.birthday ? <p className="error">{errors.birthday}</p> : null}
        {errors.form ? <p className="error">{errors.form}</p> : null}
        <button type="submit">Save</button>
        {saved ? <p role="status">Saved.</p> : null}
      </form>
    </main>
  );
}
