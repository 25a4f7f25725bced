package admin_test

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/magekit/magekit/emulator/admin"
	"github.com/magekit/magekit/integrationtest"
)

func TestBrowserSignIn(t *testing.T) {
	srv := integrationtest.NewServer(t)
	ctx := newTab(t)
	run(t, ctx,
		chromedp.Navigate(gridURL(srv)),
		chromedp.WaitVisible("#login-form", chromedp.ByQuery),
		chromedp.SendKeys("#username", "admin", chromedp.ByQuery),
		chromedp.SendKeys("#login", "wrong-password", chromedp.ByQuery),
		chromedp.Click(".action-login", chromedp.ByQuery),
	)
	waitMessage(t, ctx, "error", admin.MsgSignInFailed)
	shot(t, ctx, "signin")

	run(t, ctx,
		chromedp.SendKeys("#username", "admin", chromedp.ByQuery),
		chromedp.SendKeys("#login", "magento123", chromedp.ByQuery),
		chromedp.Click(".action-login", chromedp.ByQuery),
	)
	waitJS(t, ctx, "the grid", `document.querySelector("#integrationGrid") && document.querySelector(".page-title").textContent === "Integrations"`)

	var cookies []*network.Cookie
	run(t, ctx, chromedp.ActionFunc(func(ctx2 context.Context) error {
		var err error
		cookies, err = network.GetCookies().Do(ctx2)
		return err
	}))
	var session *network.Cookie
	for _, c := range cookies {
		if c.Name == "admin" {
			session = c
		}
	}
	if session == nil || !session.HTTPOnly || session.SameSite != network.CookieSameSiteStrict || session.Path != "/admin" || session.Session {
		t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Strict, path /admin, with an expiry", session)
	}

	run(t, ctx, chromedp.Click(".account-signout", chromedp.ByQuery))
	waitJS(t, ctx, "the sign-in page after sign-out", `document.querySelector("#login-form")`)
	run(t, ctx, chromedp.Navigate(gridURL(srv)))
	waitJS(t, ctx, "the sign-in page", `document.querySelector("#login-form") && !document.querySelector("#integrationGrid")`)
}
