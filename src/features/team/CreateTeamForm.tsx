import { useOrganizationList, useUser } from "@clerk/react";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { api } from "../../../convex/_generated/api";
import { useQuery } from "../../lib/convex";
import { PendingNote } from "./PendingNote";
import { usePendingActions } from "./usePendingActions";

/**
 * Creates a team through Clerk (`createOrganization`); pending until the viewer's teams list it,
 * then makes it the active team, whose page can show it at once. Where the instance does not let
 * this user create teams (`user.createOrganizationEnabled`), it says so instead.
 */
export function CreateTeamForm() {
  const { user } = useUser();
  if (user?.createOrganizationEnabled === false)
    return (
      <p className="mt-4 text-sm text-slate-600">
        This app does not let you create teams: ask an admin of a team to invite you.
      </p>
    );
  return <CreateTeamFields />;
}

function CreateTeamFields() {
  const { createOrganization, setActive } = useOrganizationList();
  const mine = useQuery(api.organizations.listMine);
  const pending = usePendingActions(mine);
  const inputId = useId();
  const [name, setName] = useState("");
  const [createdId, setCreatedId] = useState<string | null>(null);
  const state = pending.stateOf("create");
  const ready = createdId !== null && mine !== undefined && mine.some((team) => team.organizationId === createdId);

  const activated = useRef<string | null>(null);
  useEffect(() => {
    if (!ready || createdId === null || activated.current === createdId) return;
    activated.current = createdId;
    void setActive?.({ organization: createdId });
  }, [ready, createdId, setActive]);

  function create(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === "" || !createOrganization) return;
    let id: string | null = null;
    void pending.run(
      "create",
      `Creating ${trimmed}`,
      async () => {
        const created = await createOrganization({ name: trimmed });
        id = created.id;
        setCreatedId(created.id);
        setName("");
      },
      (now) => now !== undefined && now.some((team) => team.organizationId === (id ?? createdId)),
    );
  }

  return (
    <form onSubmit={create} className="mt-4 grid gap-2 text-left">
      <label htmlFor={inputId} className="text-sm font-medium text-slate-700">
        Team name
      </label>
      <div className="flex flex-wrap gap-2">
        <input
          id={inputId}
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={100}
          placeholder="e.g. Design team"
          className="min-w-0 flex-1 basis-48 rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm placeholder:text-slate-500 focus-visible:border-brand-500 focus-visible:ring-2 focus-visible:ring-brand-500/40 focus-visible:outline-none"
        />
        <button
          type="submit"
          disabled={name.trim() === "" || state?.phase === "saving"}
          className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2 focus-visible:outline-none disabled:opacity-60"
        >
          Create team
        </button>
      </div>
      <PendingNote state={state} onDismiss={() => pending.dismiss("create")} />
    </form>
  );
}
