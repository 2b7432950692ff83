import { describe, expect, test } from "vitest";
import { AsyncLocalStorage, enter, isBusy, leave, whenIdle } from "./asyncLocalStorage";

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the playground's AsyncLocalStorage", () => {
  test("an async callback sees its store after its awaits, and the store is gone once it settles", async () => {
    const storage = new AsyncLocalStorage<string>();
    const seen: Array<string | undefined> = [];
    const result = await storage.run("outer", async () => {
      seen.push(storage.getStore());
      await tick();
      seen.push(storage.getStore());
      const inner = await storage.run("inner", async () => {
        await tick();
        return storage.getStore();
      });
      seen.push(inner, storage.getStore());
      return "done";
    });
    expect(result).toBe("done");
    expect(seen).toEqual(["outer", "outer", "inner", "outer"]);
    expect(storage.getStore()).toBeUndefined();
    expect(isBusy()).toBe(false);
  });

  test("exit runs without the store; a throwing or rejecting callback still closes its context", async () => {
    const storage = new AsyncLocalStorage<number>();
    storage.run(1, () => {
      expect(storage.exit(() => storage.getStore())).toBeUndefined();
      expect(storage.getStore()).toBe(1);
    });
    expect(() =>
      storage.run(2, () => {
        throw new Error("sync");
      }),
    ).toThrow("sync");
    await expect(
      storage.run(3, async () => {
        await tick();
        throw new Error("async");
      }),
    ).rejects.toThrow("async");
    expect(storage.getStore()).toBeUndefined();
    expect(isBusy()).toBe(false);
  });

  test("whenIdle waits for every running flow, then starts the waiting ones in order", async () => {
    const storage = new AsyncLocalStorage<string>();
    const order: string[] = [];
    const running = storage.run("first", async () => {
      await tick();
      order.push(`first sees ${storage.getStore()}`);
    });
    whenIdle(() => order.push("second starts"));
    enter();
    whenIdle(() => order.push("third starts"));
    expect(order).toEqual([]);
    await running;
    expect(order).toEqual(["first sees first"]);
    leave();
    expect(order).toEqual(["first sees first", "second starts", "third starts"]);
    expect(isBusy()).toBe(false);
  });
});
