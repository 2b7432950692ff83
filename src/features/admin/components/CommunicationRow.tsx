import type { FunctionReturnType } from "convex/server";
import type { api } from "../../../../convex/_generated/api";
import { humanize } from "../../../lib/format";
import { ChannelIcon } from "../../../components/ChannelIcon";
import { RelativeTime } from "../../../components/RelativeTime";

export type Communication = FunctionReturnType<typeof api.admin.communications>[number];

const STATUS_STYLES: Record<string, string> = {
  delivered: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  sent: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  failed: "bg-red-100 text-red-800 ring-red-300",
};

/** One email or text message Clerk sent: to whom, which template, its status; never its body. */
export function CommunicationRow({ message }: { message: Communication }) {
  const channel = message.channel === "email" ? "Email" : "SMS";
  const template = message.template === null ? null : humanize(message.template);
  const title = message.subject ?? template ?? channel;
  return (
    <li className="flex items-start gap-3 py-3">
      <span className="mt-0.5 grid size-7 shrink-0 place-items-center rounded-full bg-slate-100 text-slate-600">
        <ChannelIcon channel={message.channel} />
      </span>
      <div className="min-w-0 flex-1">
        <div className="flex items-start justify-between gap-2">
          <p className="min-w-0 text-sm font-medium break-words text-slate-900">
            <span className="sr-only">{channel}: </span>
            {title}
          </p>
          {message.status === null ? null : (
            <span
              className={`shrink-0 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
                STATUS_STYLES[message.status] ?? "bg-slate-50 text-slate-600 ring-slate-200"
              }`}
            >
              {message.status}
            </span>
          )}
        </div>
        <p className="truncate text-xs text-slate-600" title={message.recipient ?? undefined}>
          to {message.recipient ?? "an unknown recipient"}
        </p>
        <p className="text-xs text-slate-500">
          {message.subject !== null && template !== null ? (
            <>
              <span>{template}</span>
              <span aria-hidden="true"> · </span>
            </>
          ) : null}
          <RelativeTime at={message.at} />
        </p>
      </div>
    </li>
  );
}
