import { PageHeader } from "../../components/PageHeader";
import { ProfileDetails } from "./ProfileDetails";
import { QueryBoundary } from "../../components/QueryBoundary";

/** The signed-in user's profile: Clerk's fields, live, and Roster's own fields to edit. */
export function ProfileView() {
  return (
    <>
      <PageHeader title="Profile" subtitle="Who you are in Roster. Changes made in Clerk show up here live." />
      <QueryBoundary>
        <ProfileDetails />
      </QueryBoundary>
    </>
  );
}
