import { NavLink } from "react-router";

const linkClasses = ({ isActive }: { isActive: boolean }) =>
  `whitespace-nowrap rounded-lg px-3 py-2 text-sm font-medium transition-colors focus-visible:outline-offset-[-2px] ${
    isActive ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
  }`;

/**
 * The app's sections as links with real URLs; the admin section only for app admins. The list scrolls
 * sideways on a phone, which would clip an outer focus ring: the links draw theirs inside.
 */
export function NavLinks({ showAdmin }: { showAdmin: boolean }) {
  return (
    <nav aria-label="Main" className="-mx-1 flex items-center gap-1 overflow-x-auto px-1">
      <NavLink to="/profile" className={linkClasses}>
        Profile
      </NavLink>
      <NavLink to="/team" className={linkClasses}>
        Team
      </NavLink>
      {showAdmin ? (
        <NavLink to="/admin" className={linkClasses}>
          Admin activity
        </NavLink>
      ) : null}
    </nav>
  );
}
