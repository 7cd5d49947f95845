-- Repository credentials (flotilla repo add / repocreds add). Secrets are sealed by the server's
-- SecretBox (AES-256-GCM, bound to the URL) before they reach this table; nothing here is
-- readable without the key. A template's url is a prefix that covers every repository under it.
CREATE TABLE repositories (
    url                      text PRIMARY KEY,
    template                 boolean NOT NULL DEFAULT false,
    username                 text,
    password_sealed          text,
    ssh_private_key_sealed   text,
    insecure_ignore_host_key boolean NOT NULL DEFAULT false,
    created_at               timestamptz NOT NULL DEFAULT now(),
    last_success_at          timestamptz,
    last_error               text,
    last_error_at            timestamptz
);
