/** The event families Clerk sends (the part of the type before the dot), as the log stores them. */
export const EVENT_FAMILIES = [
  "user",
  "organization",
  "organizationMembership",
  "organizationInvitation",
  "organizationDomain",
  "role",
  "permission",
  "session",
  "email",
  "sms",
  "invitation",
  "waitlistEntry",
  "subscription",
  "subscriptionItem",
  "paymentAttempt",
] as const;
export type EventFamily = (typeof EVENT_FAMILIES)[number];

/** "All families" or one, as a native select (compact on a phone, keyboard-friendly everywhere). */
export function FamilyFilter({
  value,
  onChange,
}: {
  value: EventFamily | null;
  onChange: (family: EventFamily | null) => void;
}) {
  return (
    <label className="flex items-center gap-2 text-sm text-slate-700">
      <span className="font-medium">Event family</span>
      <select
        value={value ?? ""}
        onChange={(event) => onChange(EVENT_FAMILIES.find((family) => family === event.target.value) ?? null)}
        className="rounded-lg border border-slate-300 bg-white px-2 py-1.5 font-mono text-sm text-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
      >
        <option value="">All families</option>
        {EVENT_FAMILIES.map((family) => (
          <option key={family} value={family}>
            {family}
          </option>
        ))}
      </select>
    </label>
  );
}
