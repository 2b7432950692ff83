import { PageHeader } from "../../components/PageHeader";
import { ProfileDetails } from "./ProfileDetails";
import { QueryBoundary } from "../../components/QueryBoundary";

/** The signed-in user's profile: the account's fields, live, and Roster's own fields to edit. */
export function ProfileView() {
  return (
    <>
      <PageHeader title="Profile" subtitle="Who you are to your teams. Changes to your account show here at once." />
      <QueryBoundary>
        <ProfileDetails />
      </QueryBoundary>
    </>
  );
}
