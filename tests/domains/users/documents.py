"""The frontend's account documents (../shared/contract/operations/accounts.graphql), as the
clients send them, and small helpers to call them."""

USER_ERROR_FIELDS = "fragment UserErrorFields on UserError { field code message }"

ACCOUNT_REGISTER = (
    """
mutation AccountRegister($input: AccountRegisterInput!) {
  accountRegister(input: $input) {
    user { id email name isHost }
    errors { ...UserErrorFields }
  }
}
"""
    + USER_ERROR_FIELDS
)

ACCOUNT_VERIFY = (
    """
mutation AccountVerify($input: AccountVerifyInput!) {
  accountVerify(input: $input) {
    user { id email isVerified }
    errors { ...UserErrorFields }
  }
}
"""
    + USER_ERROR_FIELDS
)

ACCOUNT_VERIFY_RESEND = (
    """
mutation AccountVerifyResend($input: AccountVerifyResendInput!) {
  accountVerifyResend(input: $input) { errors { ...UserErrorFields } }
}
"""
    + USER_ERROR_FIELDS
)

TOKEN_CREATE = (
    """
mutation TokenCreate($input: TokenCreateInput!) {
  tokenCreate(input: $input) {
    accessToken
    refreshToken
    user { id email name isHost }
    errors { ...UserErrorFields }
  }
}
"""
    + USER_ERROR_FIELDS
)

TOKEN_REFRESH = (
    """
mutation TokenRefresh($input: TokenRefreshInput!) {
  tokenRefresh(input: $input) {
    accessToken
    refreshToken
    errors { ...UserErrorFields }
  }
}
"""
    + USER_ERROR_FIELDS
)

TOKEN_REVOKE = (
    """
mutation TokenRevoke($input: TokenRevokeInput!) {
  tokenRevoke(input: $input) { errors { ...UserErrorFields } }
}
"""
    + USER_ERROR_FIELDS
)

ME = """
query Me {
  me { id email name isHost isVerified bio phone avatar { url } dateJoined }
}
"""

ACCOUNT_UPDATE = (
    """
mutation AccountUpdate($input: AccountUpdateInput!) {
  accountUpdate(input: $input) {
    user { id name bio phone isHost avatar { url } }
    errors { ...UserErrorFields }
  }
}
"""
    + USER_ERROR_FIELDS
)

PASSWORD_CHANGE = (
    """
mutation PasswordChange($input: PasswordChangeInput!) {
  passwordChange(input: $input) { accessToken refreshToken errors { ...UserErrorFields } }
}
"""
    + USER_ERROR_FIELDS
)

PASSWORD_RESET_REQUEST = (
    """
mutation PasswordResetRequest($input: PasswordResetRequestInput!) {
  passwordResetRequest(input: $input) { errors { ...UserErrorFields } }
}
"""
    + USER_ERROR_FIELDS
)

PASSWORD_RESET = (
    """
mutation PasswordReset($input: PasswordResetInput!) {
  passwordReset(input: $input) { errors { ...UserErrorFields } }
}
"""
    + USER_ERROR_FIELDS
)


def payload(result: dict, name: str) -> dict:
    """The mutation's payload, after checking there is no top-level error."""
    assert "errors" not in result, result
    return result["data"][name]


def error_codes(data: dict) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in data["errors"]]
