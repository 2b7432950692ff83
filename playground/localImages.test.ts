import { describe, expect, test } from "vitest";
import { planEvents, SCENARIOS, type SenderArgs } from "../scripts/webhook/plan";
import { CLERK_EVENT_TYPES, clerkUser, oauthUser } from "../test/clerkEvents";
import { sampleClerkData } from "./backend/clerkInstance";
import { remoteImages, withoutRemoteImages } from "./localImages";
import { seedEvents } from "./seed";

const args = (overrides: Partial<SenderArgs>): SenderArgs => ({
  type: null,
  sets: [],
  file: null,
  repeat: 0,
  scenario: null,
  members: 3,
  url: null,
  dryRun: false,
  help: false,
  ...overrides,
});
let tag = 0;
const plan = (overrides: Partial<SenderArgs>) =>
  planEvents(args(overrides), { now: Date.now(), newTag: () => `2pgtest${(tag += 1)}` });

describe("nothing leaves your machine: no picture from another origin", () => {
  test("remote image URLs become null, whatever the key or depth; other URLs and local pictures stay", () => {
    const user = oauthUser({ profile_image_url: "https://www.gravatar.com/avatar?d=mp" });
    expect(remoteImages(user).length).toBeGreaterThan(1);
    const local = withoutRemoteImages({
      data: {
        ...user,
        logo_url: "//cdn.example.com/logo.png",
        organization: { image_url: "https://img.clerk.com/x", logo_image_url: "HTTP://img.clerk.com/y" },
        members: [{ public_user_data: { image_url: "https://img.clerk.com/z" } }],
        avatar: { image_url: "/avatars/ada.svg" },
        url: "https://clerk.roster.example/v1/tickets/accept",
      },
    });
    expect(remoteImages(local)).toEqual([]);
    const data = local.data as Record<string, unknown> & typeof local.data;
    expect(data.image_url).toBeNull();
    expect(data.profile_image_url).toBeNull();
    expect(data.avatar.image_url).toBe("/avatars/ada.svg");
    expect(data.url).toBe("https://clerk.roster.example/v1/tickets/accept");
    expect(data.first_name).toBe("Ada");
    // A copy: the catalog's objects are left as they were.
    expect(user.image_url).toMatch(/^https:\/\/img\.clerk\.com\//);
  });

  test("the sample world: seeded events and what the simulated Clerk's Backend API answers", () => {
    // The catalog's user carries Clerk's default pictures (gravatar, img.clerk.com): the world must not.
    expect(remoteImages(clerkUser())).toEqual([
      "$.image_url = https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9",
      "$.profile_image_url = https://www.gravatar.com/avatar?d=mp",
    ]);
    expect(remoteImages(seedEvents(Date.now()))).toEqual([]);
    expect(remoteImages(sampleClerkData(Date.now()))).toEqual([]);
  });

  test("the drawer's catalog events and scenarios, as the drawer sends them", () => {
    const planned = [
      ...CLERK_EVENT_TYPES.flatMap((type) => plan({ type })),
      ...SCENARIOS.filter((scenario) => scenario !== "team").flatMap((scenario) =>
        plan({ type: "user.updated", scenario }),
      ),
      ...plan({ scenario: "team" }),
    ];
    expect(remoteImages(planned.map((p) => p.event)).length).toBeGreaterThan(0);
    expect(remoteImages(planned.map((p) => withoutRemoteImages(p.event)))).toEqual([]);
  });
});
