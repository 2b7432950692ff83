import { ClerkProvider, useAuth } from "@clerk/react";
import { ConvexReactClient } from "convex/react";
import { ConvexProviderWithClerk } from "convex/react-clerk";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { readConfig } from "./config";
import "./index.css";
import { clerkScriptWatch, ignoreClerkLoadFailureRejections } from "./lib/clerkLoadFailure";
import { MissingConfigView } from "./views/MissingConfigView";

const root = createRoot(document.getElementById("root") as HTMLElement);
const result = readConfig(import.meta.env);

if (!result.ok) {
  root.render(
    <StrictMode>
      <MissingConfigView problems={result.problems} />
    </StrictMode>,
  );
} else {
  ignoreClerkLoadFailureRejections(window);
  // Before ClerkProvider appends Clerk's script, so its failure is heard however early it comes.
  clerkScriptWatch();
  const convex = new ConvexReactClient(result.config.convexUrl);
  root.render(
    <StrictMode>
      <ClerkProvider publishableKey={result.config.clerkPublishableKey} afterSignOutUrl="/">
        <ConvexProviderWithClerk client={convex} useAuth={useAuth}>
          <App convexUrl={result.config.convexUrl} />
        </ConvexProviderWithClerk>
      </ClerkProvider>
    </StrictMode>,
  );
}
