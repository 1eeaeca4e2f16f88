namespace Platform.Kubernetes.Emulator;

/// <summary>Which credentials a kubeconfig written by <see cref="KubernetesEmulator.WriteKubeconfigAsync"/> carries.</summary>
public enum KubeconfigCredentials
{
    /// <summary>The bearer token (<c>users[].user.token</c>).</summary>
    Token,

    /// <summary>A client certificate and key issued by the emulator's CA (<c>client-certificate-data</c>, <c>client-key-data</c>).</summary>
    ClientCertificate,
}
