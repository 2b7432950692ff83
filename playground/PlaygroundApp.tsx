import { useEffect, useState } from "react";
import { createBrowserRouter, RouterProvider } from "react-router";
import { api } from "../convex/_generated/api";
import { useQuery } from "../src/lib/convex";
import { routes } from "../src/routes";
import { LandingView } from "../src/views/LandingView";
import { setOrganizations, updateSignedInUser, useUser } from "../test/react/clerkMock";
import type { SimulatedClerk } from "../test/react/simulatedClerkBackend";
import type { TestConvexClient } from "../test/react/TestConvexClient";
import type { WorkerBackend } from "./backend/workerBackend";
import { EventsDrawer } from "./EventsDrawer";
import { PlaygroundBar, type SeedStatus } from "./PlaygroundBar";

const router = createBrowserRouter(routes);

/** Clerk's organization switcher lists what Clerk knows; here, the organizations Roster synced for the user. */
function OrganizationsFromRoster() {
  const mine = useQuery(api.organizations.listMine);
  useEffect(() => {
    if (mine !== undefined)
      setOrganizations(mine.map((organization) => ({ id: organization.organizationId, name: organization.name })));
  }, [mine]);
  return null;
}

/**
 * Clerk's user button names the person as Clerk knows them. Here Clerk's changes are the webhooks
 * the drawer sends (a rename, any `user.updated`), so the header follows what they made of the
 * person in Roster: the header and the profile never disagree.
 */
function UserFromRoster() {
  const me = useQuery(api.users.me);
  useEffect(() => {
    if (me)
      updateSignedInUser({ firstName: me.firstName, lastName: me.lastName, email: me.email, username: me.username });
  }, [me]);
  return null;
}

/** The playground: its bar and Clerk events drawer around Roster's real landing page and routes. */
export function PlaygroundApp({
  backend,
  client,
  clerk,
}: {
  backend: WorkerBackend;
  client: TestConvexClient;
  clerk?: SimulatedClerk;
}) {
  const { user } = useUser();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [seed, setSeed] = useState<SeedStatus>({ state: "seeding" });
  const signedIn = user !== null;
  useEffect(() => {
    // Like the app's afterSignOutUrl="/": whoever signs in next starts at home, not on this page.
    if (!signedIn && router.state.location.pathname !== "/") void router.navigate("/");
  }, [signedIn]);
  useEffect(() => {
    let current = true;
    void backend.seeded.then((result) => {
      if (current) setSeed({ state: "seeded", ...result });
    });
    return () => {
      current = false;
    };
  }, [backend]);

  return (
    // The open drawer sits beside the page from lg up, and under it on a phone: the page can scroll clear of it.
    <div className={drawerOpen ? "pb-[55dvh] sm:pb-0 lg:pr-[28rem]" : undefined}>
      <PlaygroundBar seed={seed} drawerOpen={drawerOpen} onToggleDrawer={() => setDrawerOpen(!drawerOpen)} />
      {user === null ? (
        <LandingView />
      ) : (
        <>
          <OrganizationsFromRoster />
          <UserFromRoster />
          <RouterProvider router={router} />
        </>
      )}
      {drawerOpen ? (
        <EventsDrawer backend={backend} client={client} clerk={clerk} onClose={() => setDrawerOpen(false)} />
      ) : null}
    </div>
  );
}
