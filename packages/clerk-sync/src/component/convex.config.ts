import { defineComponent } from "convex/server";

/** The sync engine as a Convex component; an app mounts it with `app.use(clerkSync)`. */
const component = defineComponent("clerkSync");

export default component;
