import { Avatar } from "../../components/Avatar";
import { RoleBadge } from "../../components/RoleBadge";

type Organization = {
  name: string;
  slug: string | null;
  imageUrl: string | null;
  membersCount: number | null;
  viewer: { role: string; roleName: string | null };
};

/** The organization's name, picture, slug and size, and the viewer's own role in it. */
export function OrganizationSummary({ organization }: { organization: Organization }) {
  return (
    <section
      aria-labelledby="organization-name"
      className="flex flex-wrap items-center gap-4 rounded-2xl border border-slate-200 bg-white p-5 shadow-sm shadow-slate-200/50"
    >
      <Avatar name={organization.name} imageUrl={organization.imageUrl} size="lg" />
      <div className="min-w-0 flex-1 basis-48">
        <h2 id="organization-name" className="text-xl font-semibold break-words text-slate-900">
          {organization.name}
        </h2>
        <p className="mt-0.5 text-sm text-slate-500">
          {organization.slug ? <span className="font-mono">{organization.slug}</span> : "No slug"}
          {" · "}
          {organization.membersCount === null
            ? "member count unknown"
            : `${organization.membersCount} ${organization.membersCount === 1 ? "member" : "members"}`}
        </p>
      </div>
      <div className="text-sm text-slate-500">
        <span className="mr-2">Your role</span>
        <RoleBadge role={organization.viewer.role} roleName={organization.viewer.roleName} />
      </div>
    </section>
  );
}
