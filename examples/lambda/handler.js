// A plain Node.js Lambda handler, unchanged from what would run on AWS Lambda for a
// Cognito user pool: PreSignUp auto-confirms example.com addresses and refuses others;
// PreTokenGeneration adds a claim.
exports.handler = async (event) => {
  switch (event.triggerSource) {
    case "PreSignUp_SignUp": {
      const email = event.request.userAttributes.email || "";
      if (!email.endsWith("@example.com")) {
        throw new Error("Sign-up is for example.com addresses only");
      }
      event.response.autoConfirmUser = true;
      event.response.autoVerifyEmail = true;
      return event;
    }
    case "TokenGeneration_Authentication":
    case "TokenGeneration_RefreshTokens": {
      event.response = {
        claimsOverrideDetails: {
          claimsToAddOrOverride: { department: "engineering" },
        },
      };
      return event;
    }
    default:
      return event;
  }
};
