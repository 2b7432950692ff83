import { ClerkProvider, useAuth } from "@clerk/react";
import { ConvexReactClient } from "convex/react";
import { ConvexProviderWithClerk } from "convex/react-clerk";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { readConfig } from "./config";
import "./index.css";
import { ProblemScreen } from "./views/ProblemScreen";

const root = createRoot(document.getElementById("root") as HTMLElement);
const result = readConfig(import.meta.env);

if (!result.ok) {
  root.render(
    <StrictMode>
      <ProblemScreen title="Roster is not configured yet" problems={result.problems}>
        <p>
          Copy <code>.env.local.example</code> to <code>.env.local</code>, fill it in, and restart{" "}
          <code>npm run dev</code>.
        </p>
      </ProblemScreen>
    </StrictMode>,
  );
} else {
  const convex = new ConvexReactClient(result.config.convexUrl);
  root.render(
    <StrictMode>
      <ClerkProvider publishableKey={result.config.clerkPublishableKey} afterSignOutUrl="/">
        <ConvexProviderWithClerk client={convex} useAuth={useAuth}>
          <App />
        </ConvexProviderWithClerk>
      </ClerkProvider>
    </StrictMode>,
  );
}
