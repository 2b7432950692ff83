import { OrganizationSwitcher, UserButton } from "@clerk/react";
import { Link, Outlet, useLocation, useNavigation } from "react-router";
import { BrandMark } from "../components/BrandMark";
import { MainNav } from "../components/MainNav";
import { NavLinks } from "../components/NavLinks";
import { QueryBoundary } from "../components/QueryBoundary";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { useRouteTitle } from "../hooks/useRouteTitle";

/** The signed-in layout: brand, navigation, organization switcher and user button around the page. */
export function AppShell() {
  const navigation = useNavigation();
  const location = useLocation();
  useDocumentTitle(useRouteTitle());
  return (
    <div className="min-h-dvh">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-lg focus:bg-white focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      {navigation.state === "loading" ? (
        <div
          role="progressbar"
          aria-label="Loading page"
          className="fixed inset-x-0 top-0 z-50 h-0.5 animate-pulse bg-brand-500"
        />
      ) : null}
      <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/90 backdrop-blur">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
          <Link to="/profile" aria-label="Roster home" className="rounded-lg">
            <BrandMark />
          </Link>
          <div className="order-3 w-full sm:order-none sm:w-auto">
            <QueryBoundary fallback={() => <NavLinks showAdmin={false} />}>
              <MainNav />
            </QueryBoundary>
          </div>
          <div className="ml-auto flex items-center gap-3">
            <OrganizationSwitcher
              hidePersonal={false}
              afterSelectOrganizationUrl="/team"
              afterCreateOrganizationUrl="/team"
            />
            <UserButton />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-8 outline-none sm:px-6">
        <QueryBoundary resetKeys={[location.pathname]}>
          <Outlet />
        </QueryBoundary>
      </main>
    </div>
  );
}
