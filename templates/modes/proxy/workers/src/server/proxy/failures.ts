import { AuthorizationError, CimdFetchError } from "@cloudflare/workers-oauth-provider";
import type { ServerBrand } from "../html.js";
import { SettingsError } from "../settings.js";
import { asSentence, errorPage, type PageMessage } from "./error-page.js";

const START_AGAIN = "Start connecting again from your app.";

export const EXPIRED_SIGN_IN: PageMessage = {
  title: "This sign-in has expired",
  problem: "The page was open too long, or its form was already sent.",
  advice: START_AGAIN,
};

/** The page a person sees when this server's settings are wrong: the operator has to fix them, the person can only tell. */
export function settingsPage(error: SettingsError, brand: ServerBrand): Response {
  return errorPage(500, { title: "This server is not set up correctly", problem: error.message, advice: "Tell the people who run this server; nothing you do will fix this." }, brand);
}

/**
 * What /authorize and /callback answer for something they threw: a redirect back to the client only when the library
 * validated where to, otherwise a page for the person.
 */
export function failureResponse(error: unknown, brand: ServerBrand): Response {
  if (error instanceof AuthorizationError) {
    if (error.redirectTo) return new Response(null, { status: 302, headers: { location: error.redirectTo, "cache-control": "no-store" } });
    return errorPage(400, { title: "This connection cannot go on", problem: asSentence(error.description), advice: START_AGAIN }, brand);
  }
  if (error instanceof CimdFetchError) {
    return errorPage(
      400,
      { title: "This app cannot be checked", problem: "Its metadata document could not be fetched, so who published it cannot be verified.", advice: `Try again in a minute. ${START_AGAIN}` },
      brand,
    );
  }
  if (error instanceof SettingsError) return settingsPage(error, brand);
  console.error(error);
  return errorPage(500, { title: "Something went wrong", problem: "This server could not finish signing you in.", advice: `Try again in a minute. ${START_AGAIN}` }, brand);
}
