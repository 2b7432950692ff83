import { api } from "../../../../convex/_generated/api";
import { useQuery } from "../../../lib/convex";
import { CommunicationRow } from "./CommunicationRow";
import { EmptyState } from "../../../components/EmptyState";
import { LoadingState } from "../../../components/LoadingState";
import { Panel } from "../../../components/Panel";

export const COMMUNICATIONS_LIMIT = 20;

/** The emails and text messages Clerk sent for the app, newest first and live; never their content. */
export function CommunicationsPanel() {
  const messages = useQuery(api.admin.communications, { limit: COMMUNICATIONS_LIMIT });
  return (
    <Panel
      title="Messages Clerk sent"
      description="Emails and text messages, newest first. Their content is never stored."
    >
      {messages === undefined ? (
        <LoadingState label="Loading messages…" rows={3} />
      ) : messages.length === 0 ? (
        <EmptyState title="No messages yet">
          Verification codes, magic links and invitations appear here when Clerk sends them (the{" "}
          <code className="font-mono">email.created</code> and <code className="font-mono">sms.created</code> events).
        </EmptyState>
      ) : (
        <ul aria-label="Messages Clerk sent" className="-my-3 divide-y divide-slate-100">
          {messages.map((message) => (
            <CommunicationRow key={message.id} message={message} />
          ))}
        </ul>
      )}
    </Panel>
  );
}
