"""Why a file picked on a form was refused, remembered in the session until the form is next answered."""

# Why a pick was refused, kept in the session per form and kind until the form is next shown after a 保存
# (taken_refusals): the page's own message is gone then, and the answer to 保存 says everything at once.
REFUSED_PICKS = "refused_picks"
MAX_FORMS_REMEMBERED = 10


def remember_refusal(request, key: str, kind: str, message: str | None) -> None:
    """Keep (or, for a pick that passed, forget) why the last pick of `kind` on form `key` was refused. The
    session is written only when this changes what it holds."""
    picks = request.session.get(REFUSED_PICKS, {})
    form = picks.get(key, {})
    if form.get(kind) == message:
        return
    form = {**form, kind: message} if message else {k: v for k, v in form.items() if k != kind}
    picks = {k: v for k, v in picks.items() if k != key}
    if form:
        picks[key] = form
    request.session[REFUSED_PICKS] = dict(list(picks.items())[-MAX_FORMS_REMEMBERED:])


def taken_refusals(request, key: str) -> list[str]:
    """Why picks on form `key` were refused since it was last shown, once."""
    picks = request.session.get(REFUSED_PICKS, {})
    if key not in picks:
        return []
    found = list(picks.pop(key).values())
    request.session[REFUSED_PICKS] = picks
    return found
