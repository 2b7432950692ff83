import { useOrganizationList } from "@clerk/react";
import { useState } from "react";
import { Avatar } from "../../components/Avatar";
import { RoleBadge } from "../../components/RoleBadge";
import { TruncatedText } from "../../components/TruncatedText";

type Organization = {
  organizationId: string;
  name: string;
  imageUrl: string | null;
  role: string;
  roleName: string | null;
  membersCount: number | null;
};

/** The teams the user belongs to, each a button that makes it the active one. */
export function TeamPicker({
  organizations,
  title = "Choose a team",
}: {
  organizations: Organization[];
  title?: string;
}) {
  const { setActive } = useOrganizationList();
  const [failed, setFailed] = useState(false);

  function open(organizationId: string) {
    setFailed(false);
    setActive?.({ organization: organizationId }).catch(() => setFailed(true));
  }

  return (
    <section aria-labelledby="team-picker" className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="team-picker" className="text-base font-semibold text-slate-900">
        {title}
      </h2>
      <p className="mt-0.5 text-sm text-slate-600">Open one of your teams:</p>
      <ul className="mt-4 grid gap-3 sm:grid-cols-2">
        {organizations.map((organization) => (
          <li key={organization.organizationId}>
            <button
              type="button"
              onClick={() => open(organization.organizationId)}
              className="group flex w-full items-center gap-3 rounded-xl border border-slate-200 p-3 text-left hover:border-brand-500 hover:bg-brand-50 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:outline-none"
            >
              <Avatar name={organization.name} imageUrl={organization.imageUrl} size="md" />
              <span className="min-w-0 flex-1">
                <TruncatedText text={organization.name} focus="group" className="block font-medium text-slate-900" />
                <span className="text-sm text-slate-600">
                  {organization.membersCount === null
                    ? "Members"
                    : `${organization.membersCount} ${organization.membersCount === 1 ? "member" : "members"}`}
                </span>
              </span>
              <RoleBadge role={organization.role} roleName={organization.roleName} />
            </button>
          </li>
        ))}
      </ul>
      {failed ? (
        <p role="alert" className="mt-3 text-sm font-medium text-red-700">
          Could not switch teams. Try again, or use the switcher at the top.
        </p>
      ) : null}
    </section>
  );
}
