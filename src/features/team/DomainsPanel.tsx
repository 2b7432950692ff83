import { api } from "../../../convex/_generated/api";
import { useQuery } from "../../lib/convex";
import { EmptyState } from "../../components/EmptyState";
import { LoadingState } from "../../components/LoadingState";
import { Panel } from "../../components/Panel";

const ENROLLMENT: Record<string, string> = {
  manual_invitation: "Manual invitation",
  automatic_invitation: "Automatic invitation",
  automatic_suggestion: "Automatic suggestion",
};

/** The organization's domains (admins only), verified ones first. */
export function DomainsPanel({ organizationId }: { organizationId: string }) {
  const domains = useQuery(api.organizations.domains, { organizationId });
  const sorted =
    domains === undefined
      ? undefined
      : [...domains].sort(
          (a, b) =>
            Number(b.verificationStatus === "verified") - Number(a.verificationStatus === "verified") ||
            a.name.localeCompare(b.name),
        );
  return (
    <Panel title="Domains" description="Visible to admins only.">
      {sorted === undefined ? (
        <LoadingState label="Loading domains…" rows={1} />
      ) : sorted.length === 0 ? (
        <EmptyState title="No domains yet">
          Once a domain is added and verified, people with an email there can join.
        </EmptyState>
      ) : (
        <ul aria-label="Domains" className="divide-y divide-slate-100">
          {sorted.map((domain) => {
            const verified = domain.verificationStatus === "verified";
            return (
              <li key={domain.domainId} className="flex items-center gap-3 py-2.5">
                <div className="min-w-0 flex-1">
                  <p className="truncate font-mono text-sm text-slate-900">{domain.name}</p>
                  <p className="text-xs text-slate-500">
                    {domain.enrollmentMode === null
                      ? "Enrollment not set"
                      : (ENROLLMENT[domain.enrollmentMode] ?? domain.enrollmentMode)}
                  </p>
                </div>
                <span
                  className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
                    verified
                      ? "bg-emerald-50 text-emerald-700 ring-emerald-200"
                      : "bg-amber-50 text-amber-800 ring-amber-200"
                  }`}
                >
                  {verified ? "Verified" : "Not verified"}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}
