using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Localization;
using TradSys.Web.Portal;

namespace TradSys.Web.Auth;

/// <summary>
/// The login form: plain server-rendered HTML (no script), posted to /connect/login with an antiforgery token. It speaks the
/// portal's language (the culture cookie, then the browser's languages: the request localization runs for /connect/authorize
/// and /connect/login too), right to left in Arabic, and offers the other language as a link through /portal/culture that
/// comes back to this very authorization request, so a visitor who is not signed in can switch before signing in.
/// </summary>
internal static class LoginPage
{
    /// <summary>The portal's texts (<see cref="PortalText"/>) in the request's language.</summary>
    public static IStringLocalizer Text(HttpContext http) => http.RequestServices.GetRequiredService<IStringLocalizer<PortalText>>();

    public static IResult Render(HttpContext http, IAntiforgery antiforgery, string returnUrl, string? userName, string? message, int status)
    {
        var L = Text(http);
        var tokens = antiforgery.GetAndStoreTokens(http);
        var e = HtmlEncoder.Default;
        var culture = CultureInfo.CurrentUICulture;
        var rightToLeft = PortalCultures.IsRightToLeft(culture);
        // The other language, named in itself; its link sets the cookie and returns to this authorization request.
        var (otherId, otherCulture, otherName) = rightToLeft ? ("lang-en", "en", "English") : ("lang-ar", "ar", "العربية");
        var switchUrl = $"/portal/culture?culture={otherCulture}&returnUrl={Uri.EscapeDataString(returnUrl)}";
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="{{culture.TwoLetterISOLanguageName}}" dir="{{(rightToLeft ? "rtl" : "ltr")}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{e.Encode(L["Sign in"])}} · TradSys</title>
            <link rel="stylesheet" href="{{(rightToLeft ? "/lib/bootstrap/css/bootstrap.rtl.min.css" : "/lib/bootstrap/css/bootstrap.min.css")}}"><link rel="stylesheet" href="/portal.css"><link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>
            <body class="bg-light"><main class="container login-box py-5">
            <div class="d-flex justify-content-between align-items-start mb-4">
            <h1 class="h3 mb-0">{{e.Encode(L["TradSys sign in"])}}</h1>
            <a class="btn btn-outline-dark btn-sm language-switch" id="{{otherId}}" lang="{{otherCulture}}" dir="{{(rightToLeft ? "ltr" : "rtl")}}" hreflang="{{otherCulture}}" href="{{e.Encode(switchUrl)}}" title="{{e.Encode(L["Language"])}}">{{e.Encode(otherName)}}</a>
            </div>
            """);
        if (message is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<div class="alert alert-danger" role="alert" id="login-error">{e.Encode(message)}</div>""");
        }
        html.Append(CultureInfo.InvariantCulture, $$"""
            <form method="post" action="/connect/login" class="card card-body">
            <input type="hidden" name="{{e.Encode(tokens.FormFieldName)}}" value="{{e.Encode(tokens.RequestToken ?? "")}}">
            <input type="hidden" name="returnUrl" value="{{e.Encode(returnUrl)}}">
            <div class="mb-3"><label class="form-label" for="username">{{e.Encode(L["User name"])}}</label>
            <input class="form-control" id="username" name="username" autocomplete="username" dir="ltr" required value="{{e.Encode(userName ?? "")}}"></div>
            <div class="mb-3"><label class="form-label" for="password">{{e.Encode(L["Password"])}}</label>
            <input class="form-control" id="password" name="password" type="password" autocomplete="current-password" dir="ltr" required></div>
            <button class="btn btn-primary" type="submit" id="sign-in">{{e.Encode(L["Sign in"])}}</button>
            </form></main></body></html>
            """);
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
