package fix

import (
	"context"
	"math"
	"strings"

	"pitstop/internal/check"
)

// Knowledge articles whose presence on a result makes a manual fix certain.
const (
	artGmailAppPassword   = "smtp-gmail-app-password"
	artM365AuthDisabled   = "smtp-m365-auth-disabled"
	artSalesforceDisabled = "crm-salesforce-api-disabled"
	artHubSpotScopes      = "crm-hubspot-missing-scopes"
)

// clockSkew gives the commands that set the clock from the network, when the
// API's Date header showed this machine's clock is off.
func clockSkew(_ context.Context, _ *Input, r check.Result) []Fix {
	if !bad(r) {
		return nil
	}
	skew, ok := factInt(r, "skew_seconds")
	if !ok || skew == 0 {
		return nil
	}
	dir := say("ahead of")
	if skew < 0 {
		dir = say("behind")
	}
	return []Fix{{
		ID: "clock-sync", Check: r.ID, Kind: KindManual,
		Title:   say("Set this machine's clock from the network"),
		Summary: say("This machine's clock is %d s %s the API server's; signed requests and tokens are refused when clocks disagree.", int(math.Abs(float64(skew))), dir),
		Steps: []string{
			say("Linux (systemd): sudo timedatectl set-ntp true, then timedatectl status shows \"System clock synchronized: yes\" (with chrony: sudo chronyc makestep)."),
			say("macOS: System Settings → General → Date & Time → Set time and date automatically; or sudo sntp -sS time.apple.com."),
			say("Windows (administrator prompt): w32tm /config /syncfromflags:manual /manualpeerlist:time.windows.com /update, then w32tm /resync."),
			say("In a container or VM the host's clock counts: fix it there."),
		},
	}}
}

// hubspotScopes names the scopes to add to the private app when HubSpot
// answered MISSING_SCOPES.
func hubspotScopes(_ context.Context, in *Input, r check.Result) []Fix {
	if !bad(r) || in.Profile.CRM.Provider != "hubspot" {
		return nil
	}
	scopes := factString(r, "missing_scopes")
	if scopes == "" {
		return nil
	}
	return []Fix{{
		ID: "hubspot-scopes", Check: r.ID, Kind: KindManual,
		Title:   say("Add the missing scopes to the HubSpot app"),
		Summary: say("The token lacks these scopes: %s.", scopes),
		Steps: []string{
			say("In HubSpot: Settings → Integrations → Private Apps (or Development → Legacy apps) → your app → Scopes."),
			say("Tick: %s. Save (Commit changes).", scopes),
			say("HubSpot may issue a new token when scopes change: copy it into crm.token (or the variable it comes from), then run pitstop check --only crm."),
		},
		Affects: []string{"crm.permissions", "crm.auth"},
	}}
}

// salesforceAPIEnabled explains how to turn on "API Enabled" when Salesforce
// answered API_DISABLED_FOR_ORG.
func salesforceAPIEnabled(_ context.Context, in *Input, r check.Result) []Fix {
	if !bad(r) || !hasArticle(r, artSalesforceDisabled) {
		return nil
	}
	return []Fix{{
		ID: "salesforce-api-enabled", Check: r.ID, Kind: KindManual,
		Title:   say("Give the integration user the \"API Enabled\" permission"),
		Summary: say("Salesforce refuses API calls for this user or org (API_DISABLED_FOR_ORG)."),
		Steps: []string{
			say("Setup → Users → Permission Sets → New (or open the integration user's permission set) → System Permissions → Edit → tick \"API Enabled\" → Save."),
			say("Assign the permission set to the user the token belongs to (Manage Assignments → Add Assignment)."),
			say("If the org's edition has no API access (Professional Edition without the API add-on), the permission is not offered: ask your Salesforce account executive."),
		},
		Affects: []string{"crm.auth", "crm.permissions"},
	}}
}

// gmailAppPassword explains app passwords when Gmail asked for one.
func gmailAppPassword(_ context.Context, _ *Input, r check.Result) []Fix {
	if !bad(r) || !hasArticle(r, artGmailAppPassword) {
		return nil
	}
	return []Fix{{
		ID: "gmail-app-password", Check: r.ID, Kind: KindManual,
		Title:   say("Use a Google app password for SMTP"),
		Summary: say("Gmail refuses the account password for SMTP when 2-Step Verification is on: it needs an app password."),
		Steps: []string{
			say("Sign in at https://myaccount.google.com/apppasswords with the sending account (2-Step Verification must be on)."),
			say("Create an app password (name it Pitstop or after your platform); Google shows 16 characters once."),
			say("Put it in smtp.password (or SMTP_PASSWORD) without the spaces Google shows between groups, then run pitstop check --only smtp."),
		},
	}}
}

// m365SMTPAuth gives the admin setting and PowerShell command that allow
// SMTP AUTH for the mailbox when Microsoft 365 refused it.
func m365SMTPAuth(_ context.Context, in *Input, r check.Result) []Fix {
	if !bad(r) || !hasArticle(r, artM365AuthDisabled) {
		return nil
	}
	user := in.Profile.SMTP.Username
	if user == "" {
		user = "<mailbox>"
	}
	return []Fix{{
		ID: "m365-smtp-auth", Check: r.ID, Kind: KindManual,
		Title:   say("Allow SMTP AUTH for the mailbox in Microsoft 365"),
		Summary: say("Microsoft 365 has SMTP AUTH turned off for this mailbox or the whole tenant."),
		Steps: []string{
			say("Microsoft 365 admin center → Users → Active users → %s → Mail → Manage email apps → tick Authenticated SMTP → Save changes.", user),
			say("Or in Exchange Online PowerShell: Set-CASMailbox -Identity %s -SmtpClientAuthenticationDisabled $false", user),
			say("If the tenant turns it off for everyone, check Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled; the per-mailbox setting above overrides it."),
			say("Security defaults also block SMTP AUTH; Microsoft is retiring Basic authentication for SMTP AUTH, so plan a move to OAuth or to a sending service."),
			say("Changes can take up to an hour to apply; then run pitstop check --only smtp."),
		},
	}}
}

// crmRedirect proposes the host the CRM redirects to as crm.base_url, when
// a check saw the redirect (it is reported, never followed).
func crmRedirect(ctx context.Context, in *Input, r check.Result) []Fix {
	loc := factString(r, "redirect_location")
	if !bad(r) || loc == "" || in.ConfigPath == "" {
		return nil
	}
	to, ok := redirectBase(in.Profile.CRM.BaseURL, loc)
	if !ok {
		return nil
	}
	cand := clone(in.Profile)
	cand.CRM.BaseURL = to
	if !confirm(ctx, in, cand, "crm.auth") {
		return nil
	}
	return []Fix{configFix(in, "crm-base-url", r.ID, say("Use the address the CRM redirects to"),
		say("The CRM answered with a redirect to %s; Pitstop does not follow redirects with your token, so crm.base_url should name that host.", to),
		Change{Key: "crm.base_url", From: in.Profile.CRM.BaseURL, To: to, value: to},
		"crm.auth", "crm.permissions", "crm.availability", "crm.field_mapping")}
}

// redirectBase keeps the configured path on the redirect's host: only a
// move to another https host of the same provider family is certain.
func redirectBase(base, loc string) (string, bool) {
	b, err := parseHTTPS(base)
	if err != nil {
		return "", false
	}
	l, err := parseHTTPS(loc)
	if err != nil || l.Host == b.Host {
		return "", false
	}
	if registrable(l.Hostname()) != registrable(b.Hostname()) {
		return "", false // another company's host: not certain
	}
	b.Host = l.Host
	return strings.TrimSuffix(b.String(), "/"), true
}
