import { z } from "zod";
import { defineTool, holds, ToolError, type ToolContext, type ToolPack, wholeNumberSetting } from "./types.js";

export const SIZES = ["XS", "S", "M", "L", "XL", "2XL", "3XL"] as const;
const ORDERS = "orders";
const MAX_LISTED = 100;

const INVENTORY = [
  {
    sku: "mcp-tee",
    name: "MCP t-shirt",
    description: "Heather grey, printed with the Model Context Protocol logo.",
    sizes: SIZES,
    price: { amount: 0, currency: "USD", note: "A demo: nothing is charged and nothing ships." },
  },
];

/** Whom an order belongs to, as listings show it: the person's user id (or the caller's subject). */
const ownerOf = (ctx: ToolContext) => ctx.identity.user?.id ?? ctx.subject;

export const shopPack: ToolPack = {
  id: "shop",
  tools: [
    defineTool({
      name: "list_inventory",
      title: "List inventory",
      description: "Lists what can be ordered, with sizes.",
      annotations: { readOnlyHint: true, openWorldHint: false },
      run: () => ({ items: INVENTORY }),
    }),
    defineTool({
      name: "order_shirt",
      title: "Order a shirt",
      description:
        "Orders one MCP t-shirt for the signed-in person. Pass an idempotency_key to make retries safe: a repeated call " +
        "with the same key returns the first order instead of placing another.",
      inputSchema: {
        size: z.enum(SIZES),
        name: z.string().trim().min(1).max(100).describe("Name on the parcel"),
        company: z.string().trim().max(100).describe("Company, or empty"),
        address: z.string().trim().min(5).max(500).describe("Shipping address"),
        idempotency_key: z.string().min(1).max(100).optional(),
      },
      annotations: { readOnlyHint: false, idempotentHint: false, openWorldHint: true },
      // A parcel goes to a person: an agent without one (client credentials) has no name or address to ship to.
      needsPerson: true,
      // Consequential: the person confirms this exact order before it is placed (CONFIRM_TOOLS).
      confirm: ({ size, name, company, address }) => `Order one ${size} shirt for ${name}${company ? `, ${company}` : ""}, to ${address}?`,
      async run({ size, name, company, address, idempotency_key }, ctx) {
        const ordersPerUser = wholeNumberSetting(ctx, "ORDERS_PER_USER");
        const retentionDays = wholeNumberSetting(ctx, "RETENTION_DAYS") ?? 30;
        const result = await ctx.store.insert(
          ORDERS,
          {
            id: `order_${crypto.randomUUID()}`,
            owner: ctx.subject,
            at: new Date().toISOString(),
            data: { owner: ownerOf(ctx), size, name, company, address, client_id: ctx.identity.client_id },
          },
          {
            ttlS: retentionDays * 86_400,
            ...(idempotency_key ? { uniqueKey: idempotency_key } : {}),
            ...(ordersPerUser !== null ? { maxPerOwner: ordersPerUser } : {}),
          },
        );
        if (result.status === "limit") {
          throw new ToolError("order_limit", `You already have ${ordersPerUser} orders, the most this shop allows per person.`, {
            retry_after_s: result.retryAfterS,
          });
        }
        const { record } = result;
        return { order_id: record.id, status: result.status === "inserted" ? "placed" : "duplicate", size: record.data.size, created_at: record.at };
      },
    }),
    defineTool({
      name: "list_orders",
      title: "List orders",
      description: "Lists your orders, newest first; with the shop:admin permission, everyone's.",
      annotations: { readOnlyHint: true, openWorldHint: false },
      async run(_args, ctx) {
        const everyone = holds(ctx, "shop:admin");
        const { records } = await ctx.store.list(ORDERS, { limit: MAX_LISTED, ...(everyone ? {} : { owner: ctx.subject }) });
        return {
          orders: records.map((r) => ({ order_id: r.id, owner: r.data.owner, size: r.data.size, created_at: r.at })),
        };
      },
    }),
  ],
};
