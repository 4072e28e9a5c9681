#include "live/xfrm.hpp"

#include <arpa/inet.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/xfrm/lifetime.h>
#include <netlink/xfrm/sa.h>
#include <netlink/xfrm/selector.h>
#include <netlink/xfrm/sp.h>
#include <netlink/xfrm/template.h>

#include <memory>
#include <optional>

#include <fmt/format.h>

#include "drivers/plan_text.hpp"
#include "live/nl_objects.hpp"
#include "model/error.hpp"

namespace cnmlab::live {

namespace {

using nl::AddrPtr;
using nl::Deleter;
using SaPtr = std::unique_ptr<xfrmnl_sa, Deleter<xfrmnl_sa, xfrmnl_sa_put>>;
using SpPtr = std::unique_ptr<xfrmnl_sp, Deleter<xfrmnl_sp, xfrmnl_sp_put>>;
using SelPtr = std::unique_ptr<xfrmnl_sel, Deleter<xfrmnl_sel, xfrmnl_sel_put>>;
using LtPtr = std::unique_ptr<xfrmnl_ltime_cfg, Deleter<xfrmnl_ltime_cfg, xfrmnl_ltime_cfg_put>>;

AddrPtr ip(model::Ipv4 a, int prefix = 32) {
    return nl::ipAddr(a, prefix);
}

// What iproute2 gives when no lifetime is asked for: none.
LtPtr unlimited() {
    LtPtr lt(xfrmnl_ltime_cfg_alloc());
    xfrmnl_ltime_cfg_set_soft_bytelimit(lt.get(), XFRM_INF);
    xfrmnl_ltime_cfg_set_hard_bytelimit(lt.get(), XFRM_INF);
    xfrmnl_ltime_cfg_set_soft_packetlimit(lt.get(), XFRM_INF);
    xfrmnl_ltime_cfg_set_hard_packetlimit(lt.get(), XFRM_INF);
    return lt;
}

// `state`: the kernel answers an SA it cannot hold with ENOSYS (an AEAD
// algorithm it lacks: what Docker logged as "function not implemented"),
// which libnl has no code for (NLE_FAILURE), ENOENT or EPROTONOSUPPORT.
void check(int rc, const std::string& equivalent, bool state) {
    if (rc >= 0) {
        return;
    }
    const bool missing = rc == -NLE_OPNOTSUPP || rc == -NLE_OBJ_NOTFOUND ||
                         rc == -NLE_PROTO_MISMATCH || rc == -NLE_AF_NOSUPPORT ||
                         (state && rc == -NLE_FAILURE);
    throw model::Error(missing ? model::ErrorKind::Unsupported : model::ErrorKind::System,
                       fmt::format("`{}` failed: {}{}", equivalent, nl_geterror(rc),
                                   missing ? " (the kernel lacks ESP or AES-GCM: "
                                             "CONFIG_INET_ESP, CONFIG_CRYPTO_GCM)"
                                           : ""));
}

}  // namespace

Xfrm::Xfrm(const Fd& ns) {
    NetnsGuard in(ns);
    m_sock = nl_socket_alloc();
    if (m_sock == nullptr) {
        throw model::Error(model::ErrorKind::System, "nl_socket_alloc failed");
    }
    const int rc = nl_connect(m_sock, NETLINK_XFRM);
    if (rc < 0) {
        nl_socket_free(m_sock);
        m_sock = nullptr;
        throw model::Error(
            model::ErrorKind::Unsupported,
            fmt::format("netlink xfrm: {} (the kernel lacks CONFIG_XFRM_USER)", nl_geterror(rc)));
    }
}

Xfrm::~Xfrm() {
    if (m_sock != nullptr) {
        nl_socket_free(m_sock);
    }
}

void Xfrm::addState(const drivers::XfrmState& s) {
    SaPtr sa(xfrmnl_sa_alloc());
    const AddrPtr src = ip(s.src);
    const AddrPtr dst = ip(s.dst);
    xfrmnl_sa_set_family(sa.get(), AF_INET);
    xfrmnl_sa_set_saddr(sa.get(), src.get());
    xfrmnl_sa_set_daddr(sa.get(), dst.get());
    xfrmnl_sa_set_proto(sa.get(), IPPROTO_ESP);
    xfrmnl_sa_set_spi(sa.get(), s.spi);
    xfrmnl_sa_set_mode(sa.get(), XFRM_MODE_TRANSPORT);
    xfrmnl_sa_set_reqid(sa.get(), s.reqid);
    const LtPtr lt = unlimited();
    xfrmnl_sa_set_lifetime_cfg(sa.get(), lt.get());
    std::string name = "rfc4106(gcm(aes))";
    xfrmnl_sa_set_aead_params(sa.get(), name.data(), static_cast<unsigned>(s.key.size() * 8),
                              static_cast<unsigned>(s.icvBits),
                              reinterpret_cast<const char*>(s.key.data()));
    check(xfrmnl_sa_add(m_sock, sa.get(), NLM_F_CREATE | NLM_F_EXCL), drivers::equivalent(s), true);
}

void Xfrm::addPolicy(const drivers::XfrmPolicy& p) {
    SpPtr sp(xfrmnl_sp_alloc());
    SelPtr sel(xfrmnl_sel_alloc());
    const AddrPtr src = ip(p.src.address, p.src.prefix);
    const AddrPtr dst = ip(p.dst.address, p.dst.prefix);
    xfrmnl_sel_set_family(sel.get(), AF_INET);
    xfrmnl_sel_set_saddr(sel.get(), src.get());
    xfrmnl_sel_set_daddr(sel.get(), dst.get());
    xfrmnl_sel_set_prefixlen_s(sel.get(), static_cast<unsigned>(p.src.prefix));
    xfrmnl_sel_set_prefixlen_d(sel.get(), static_cast<unsigned>(p.dst.prefix));
    xfrmnl_sel_set_proto(sel.get(), p.proto == model::Proto::Udp   ? IPPROTO_UDP
                                    : p.proto == model::Proto::Tcp ? IPPROTO_TCP
                                                                   : IPPROTO_ICMP);
    xfrmnl_sel_set_dport(sel.get(), static_cast<unsigned>(p.dport));
    xfrmnl_sel_set_dportmask(sel.get(), 0xffff);
    xfrmnl_sp_set_sel(sp.get(), sel.get());
    const LtPtr lt = unlimited();
    xfrmnl_sp_set_lifetime_cfg(sp.get(), lt.get());
    xfrmnl_sp_set_dir(sp.get(), XFRM_POLICY_OUT);
    xfrmnl_sp_set_action(sp.get(), XFRM_POLICY_ALLOW);
    xfrmnl_sp_set_mark(sp.get(), p.mark, p.markMask);
    xfrmnl_user_tmpl* tmpl = xfrmnl_user_tmpl_alloc();  // the policy owns it once added
    const AddrPtr tsrc = ip(p.tmplSrc);
    const AddrPtr tdst = ip(p.tmplDst);
    xfrmnl_user_tmpl_set_family(tmpl, AF_INET);
    xfrmnl_user_tmpl_set_saddr(tmpl, tsrc.get());
    xfrmnl_user_tmpl_set_daddr(tmpl, tdst.get());
    xfrmnl_user_tmpl_set_proto(tmpl, IPPROTO_ESP);
    xfrmnl_user_tmpl_set_spi(tmpl, p.spi);
    xfrmnl_user_tmpl_set_reqid(tmpl, p.reqid);
    xfrmnl_user_tmpl_set_mode(tmpl, XFRM_MODE_TRANSPORT);
    xfrmnl_user_tmpl_set_aalgos(tmpl, ~0U);
    xfrmnl_user_tmpl_set_ealgos(tmpl, ~0U);
    xfrmnl_user_tmpl_set_calgos(tmpl, ~0U);
    xfrmnl_sp_add_usertemplate(sp.get(), tmpl);
    check(xfrmnl_sp_add(m_sock, sp.get(), NLM_F_CREATE | NLM_F_EXCL), drivers::equivalent(p),
          false);
}

bool kernelHasEsp(const std::string& prefix) {
    static std::optional<bool> known;  // per process: the kernel does not change
    if (known) {
        return *known;
    }
    const std::string scratch = prefix + "_xfrm";  // no user name starts with _
    deleteNamedNetns(scratch);
    bool ok = true;
    {
        Fd ns = createNamedNetns(scratch);
        try {
            drivers::XfrmState s;
            s.src = model::Ipv4(192, 0, 2, 1);
            s.dst = model::Ipv4(192, 0, 2, 2);
            s.spi = 0x100;
            s.reqid = 1;
            s.key.assign(16 + 4, 0x42);
            Xfrm(ns).addState(s);
        } catch (const model::Error& e) {
            ok = e.kind() != model::ErrorKind::Unsupported;
        }
    }
    deleteNamedNetns(scratch);
    known = ok;
    return ok;
}

}  // namespace cnmlab::live
