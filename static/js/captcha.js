// 图形验证码「换一张」: a new picture from the site itself, without reloading the page (the login form keeps
// what was typed). Without scripts the link reloads the login page.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-captcha-refresh]");
  if (!link) return;
  event.preventDefault();
  fetch(link.dataset.captchaRefresh, { headers: { "X-Requested-With": "XMLHttpRequest" }, credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((data) => {
      const field = link.closest(".field");
      field.querySelector("img.captcha").src = data.image_url;
      field.querySelector('input[name="captcha_0"]').value = data.key;
      const answer = field.querySelector('input[name="captcha_1"]');
      answer.value = "";
      answer.focus();
    })
    .catch(() => window.location.reload());
});
