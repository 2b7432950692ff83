import { api } from "../../convex/_generated/api";
import { useQuery } from "../lib/convex";
import { NavLinks } from "./NavLinks";

/** The navigation, with "Admin activity" once `users.me` says the caller is an app admin. */
export function MainNav() {
  const me = useQuery(api.users.me);
  return <NavLinks showAdmin={me?.isAppAdmin === true} />;
}
