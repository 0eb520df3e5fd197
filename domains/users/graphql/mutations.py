"""Account mutations: registration, verification, sessions, passwords, profile.

Thin: each calls one service and maps its DomainError to the payload's `errors`. Sessions are
JWTs: send `Authorization: Bearer <accessToken>`; renew with `tokenRefresh` before the access
token expires.
"""

import strawberry
from strawberry.file_uploads import Upload

from backend.client_ip import client_ip
from domains.shared.errors import DomainError
from domains.users import services
from domains.users.graphql.types import UserNode
from schema.context import Info
from schema.errors import UserError, user_errors
from schema.inputs import provided
from schema.mutations import errors_field, input_argument
from schema.permissions import IsAuthenticated


def _ip(info: Info) -> str | None:
    return client_ip(info.context.request)


# --- inputs ----------------------------------------------------------------------------------


@strawberry.input(description="A new account.")
class AccountRegisterInput:
    email: str = strawberry.field(description="E-mail address: the login; one account each.")
    password: str = strawberry.field(description="Password (checked against the password rules).")
    name: str = strawberry.field(description="The name shown to other members, 1-150 characters.")
    is_host: bool = strawberry.field(
        default=False, description="Whether the account hosts listings from the start."
    )


@strawberry.input(description="Confirm an e-mail address.")
class AccountVerifyInput:
    token: str = strawberry.field(description="The token of the link in the verification e-mail.")


@strawberry.input(description="Ask for a new verification e-mail.")
class AccountVerifyResendInput:
    email: str = strawberry.field(description="The account's e-mail address.")


@strawberry.input(description="Sign in.")
class TokenCreateInput:
    email: str = strawberry.field(description="E-mail address.")
    password: str = strawberry.field(description="Password.")


@strawberry.input(description="Renew a session.")
class TokenRefreshInput:
    refresh_token: str = strawberry.field(
        description="The latest refresh token of the session (each works once)."
    )


@strawberry.input(description="Sign out.")
class TokenRevokeInput:
    refresh_token: str = strawberry.field(description="The refresh token of the session to end.")


@strawberry.input(
    description="Changes to the signed-in member's profile: an absent field stays unchanged, "
    "an explicit null clears it (`name` cannot be cleared)."
)
class AccountUpdateInput:
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="The name shown to other members, 1-150 characters."
    )
    bio: str | None = strawberry.field(
        default=strawberry.UNSET, description="About me, at most 2000 characters."
    )
    phone: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Phone number: 6-32 characters of digits, spaces, +, - and parentheses.",
    )
    is_host: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="true to become a host; false to stop (only without listings).",
    )
    avatar: Upload | None = strawberry.field(
        default=strawberry.UNSET,
        description="A new profile picture (JPEG, PNG or WebP, multipart upload); null removes it.",
    )


@strawberry.input(description="Change the password of the signed-in member.")
class PasswordChangeInput:
    old_password: str = strawberry.field(description="The current password.")
    new_password: str = strawberry.field(description="The new password.")


@strawberry.input(description="Ask for a password reset e-mail.")
class PasswordResetRequestInput:
    email: str = strawberry.field(description="The account's e-mail address.")


@strawberry.input(description="Set a new password with the token of a password reset e-mail.")
class PasswordResetInput:
    token: str = strawberry.field(description="The token of the link in the reset e-mail.")
    new_password: str = strawberry.field(description="The new password.")


# --- payloads --------------------------------------------------------------------------------


@strawberry.type(description="Result of accountRegister.")
class AccountRegisterPayload:
    user: UserNode | None = strawberry.field(
        default=None, description="The new account (unverified until its e-mail is confirmed)."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="Result of accountVerify.")
class AccountVerifyPayload:
    user: UserNode | None = strawberry.field(default=None, description="The confirmed account.")
    errors: list[UserError] = errors_field()


@strawberry.type(
    description="Result of accountVerifyResend (no errors whether or not the "
    "address has an account, so nobody learns who does)."
)
class AccountVerifyResendPayload:
    errors: list[UserError] = errors_field()


@strawberry.type(description="Result of tokenCreate: a new session.")
class TokenCreatePayload:
    access_token: str | None = strawberry.field(
        default=None, description="JWT for `Authorization: Bearer <accessToken>`; short-lived."
    )
    refresh_token: str | None = strawberry.field(
        default=None, description="Renews the session with tokenRefresh; works once."
    )
    user: UserNode | None = strawberry.field(default=None, description="The signed-in account.")
    errors: list[UserError] = errors_field()


@strawberry.type(description="Result of tokenRefresh: the session's new pair of tokens.")
class TokenRefreshPayload:
    access_token: str | None = strawberry.field(default=None, description="A new access token.")
    refresh_token: str | None = strawberry.field(
        default=None, description="The next refresh token (the one sent no longer works)."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="Result of tokenRevoke.")
class TokenRevokePayload:
    errors: list[UserError] = errors_field()


@strawberry.type(description="Result of accountUpdate.")
class AccountUpdatePayload:
    user: UserNode | None = strawberry.field(default=None, description="The updated account.")
    errors: list[UserError] = errors_field()


@strawberry.type(
    description="Result of passwordChange. Every session of the account ends; this device "
    "continues with the new pair of tokens."
)
class PasswordChangePayload:
    access_token: str | None = strawberry.field(default=None, description="A new access token.")
    refresh_token: str | None = strawberry.field(default=None, description="A new refresh token.")
    errors: list[UserError] = errors_field()


@strawberry.type(
    description="Result of passwordResetRequest (no errors whether or not the "
    "address has an account, so nobody learns who does)."
)
class PasswordResetRequestPayload:
    errors: list[UserError] = errors_field()


@strawberry.type(description="Result of passwordReset. Every session of the account ends.")
class PasswordResetPayload:
    errors: list[UserError] = errors_field()


# --- mutations -------------------------------------------------------------------------------


@strawberry.type
class UsersMutation:
    @strawberry.mutation(
        description="Create an account and e-mail a link to confirm the address. The account "
        "can sign in at once. Rate-limited per client and per address."
    )
    def account_register(
        self, info: Info, input: input_argument(AccountRegisterInput, "The new account.")
    ) -> AccountRegisterPayload:
        try:
            user = services.account_register(
                email=input.email,
                password=input.password,
                name=input.name,
                is_host=input.is_host,
                ip=_ip(info),
            )
        except DomainError as error:
            return AccountRegisterPayload(errors=user_errors(error))
        return AccountRegisterPayload(user=user)

    @strawberry.mutation(description="Confirm an e-mail address with the token of its e-mail.")
    def account_verify(
        self, info: Info, input: input_argument(AccountVerifyInput, "The token.")
    ) -> AccountVerifyPayload:
        try:
            user = services.account_verify(token=input.token, ip=_ip(info))
        except DomainError as error:
            return AccountVerifyPayload(errors=user_errors(error))
        return AccountVerifyPayload(user=user)

    @strawberry.mutation(
        description="E-mail a new verification link, if the address has an unconfirmed account."
    )
    def account_verify_resend(
        self, info: Info, input: input_argument(AccountVerifyResendInput, "The address.")
    ) -> AccountVerifyResendPayload:
        try:
            services.account_verify_resend(email=input.email, ip=_ip(info))
        except DomainError as error:
            return AccountVerifyResendPayload(errors=user_errors(error))
        return AccountVerifyResendPayload()

    @strawberry.mutation(
        description="Sign in: a short-lived access token and a refresh token. A wrong address "
        "and a wrong password get the same answer. Rate-limited per client and per address."
    )
    def token_create(
        self, info: Info, input: input_argument(TokenCreateInput, "The credentials.")
    ) -> TokenCreatePayload:
        try:
            pair = services.token_create(
                email=input.email,
                password=input.password,
                ip=_ip(info),
                request=info.context.request,
            )
        except DomainError as error:
            return TokenCreatePayload(errors=user_errors(error))
        return TokenCreatePayload(
            access_token=pair.access_token, refresh_token=pair.refresh_token, user=pair.user
        )

    @strawberry.mutation(
        description="Renew a session: a new access token and a new refresh token; the refresh "
        "token sent stops working. Sending a used one again ends every session of the account."
    )
    def token_refresh(
        self, info: Info, input: input_argument(TokenRefreshInput, "The refresh token.")
    ) -> TokenRefreshPayload:
        try:
            pair = services.token_refresh(refresh_token=input.refresh_token)
        except DomainError as error:
            return TokenRefreshPayload(errors=user_errors(error))
        return TokenRefreshPayload(access_token=pair.access_token, refresh_token=pair.refresh_token)

    @strawberry.mutation(
        description="Sign out: the refresh token stops working (the access token expires on "
        "its own). Signing out twice is not an error."
    )
    def token_revoke(
        self, info: Info, input: input_argument(TokenRevokeInput, "The refresh token.")
    ) -> TokenRevokePayload:
        try:
            services.token_revoke(refresh_token=input.refresh_token)
        except DomainError as error:
            return TokenRevokePayload(errors=user_errors(error))
        return TokenRevokePayload()

    @strawberry.mutation(
        description="Update the signed-in member's profile; `isHost: true` makes the account "
        "a host. The avatar is a multipart upload.",
        extensions=[IsAuthenticated()],
    )
    def account_update(
        self, info: Info, input: input_argument(AccountUpdateInput, "The changes.")
    ) -> AccountUpdatePayload:
        try:
            user = services.account_update(user=info.context.viewer, changes=provided(input))
        except DomainError as error:
            return AccountUpdatePayload(errors=user_errors(error))
        return AccountUpdatePayload(user=user)

    @strawberry.mutation(
        description="Change the password. Every session of the account ends; the payload "
        "carries a new pair of tokens for this device.",
        extensions=[IsAuthenticated()],
    )
    def password_change(
        self,
        info: Info,
        input: input_argument(PasswordChangeInput, "The old and the new password."),
    ) -> PasswordChangePayload:
        try:
            pair = services.password_change(
                user=info.context.viewer,
                old_password=input.old_password,
                new_password=input.new_password,
            )
        except DomainError as error:
            return PasswordChangePayload(errors=user_errors(error))
        return PasswordChangePayload(
            access_token=pair.access_token, refresh_token=pair.refresh_token
        )

    @strawberry.mutation(
        description="E-mail a password reset link, if the address has an account. The answer "
        "is the same either way. Rate-limited per client and per address."
    )
    def password_reset_request(
        self, info: Info, input: input_argument(PasswordResetRequestInput, "The address.")
    ) -> PasswordResetRequestPayload:
        try:
            services.password_reset_request(email=input.email, ip=_ip(info))
        except DomainError as error:
            return PasswordResetRequestPayload(errors=user_errors(error))
        return PasswordResetRequestPayload()

    @strawberry.mutation(
        description="Set a new password with the token of a reset e-mail (it works once and "
        "expires). Every session of the account ends."
    )
    def password_reset(
        self,
        info: Info,
        input: input_argument(PasswordResetInput, "The token and the new password."),
    ) -> PasswordResetPayload:
        try:
            services.password_reset(token=input.token, new_password=input.new_password)
        except DomainError as error:
            return PasswordResetPayload(errors=user_errors(error))
        return PasswordResetPayload()
